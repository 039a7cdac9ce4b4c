/**
 * `lifeline check` end to end: the real jammy and bookworm dpkg status under a synthetic root, mirrors over loopback
 * HTTP and `file:`, the CLI both as a child process and in-process. A jammy-security test archive signed with a
 * generated key gives fresh Dates; the bookworm case uses the real Debian-signed archive and source evidence.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePackages } from '../../main/core/apt/indexes'
import { checkCommand, type CheckReportJson } from '../../main/cli/commands/check'
import type { CliIo } from '../../main/cli/io'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { makeTestArchiveKey, type TestArchiveKey } from '../support/test-archive'
import {
  configJson,
  debianKeyArmored,
  DEBIAN_SECURITY_FPR,
  fixturePath,
  jammyArchiveFiles,
  OPENSSL_FIX,
  publishBookwormSecurity,
  writeArchive,
  writeRoot,
} from './check-support'

const REPO = resolve(import.meta.dirname, '../..')

type Schema = Record<string, unknown>

/**
 * A small JSON Schema checker for the keywords docs/check-report.schema.json uses (type, const, enum, pattern,
 * properties, required, additionalProperties: false, items, oneOf, $ref): returns the paths that do not conform.
 */
function conformance(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref.replace('#/$defs/', '')
    return conformance(value, ((root.$defs as Record<string, Schema>)[ref] ?? {}) as Schema, root, path)
  }
  if (Array.isArray(schema.oneOf)) {
    const ok = (schema.oneOf as Schema[]).filter((s) => conformance(value, s, root, path).length === 0)
    return ok.length === 1 ? [] : [`${path}: matches ${ok.length} of oneOf`]
  }
  const errs: string[] = []
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]
  const typeOf = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v
  if (
    types.length > 0 &&
    !types.some((t) => t === typeOf(value) || (t === 'number' && typeof value === 'number'))
  ) {
    return [`${path}: ${typeOf(value)} is not ${types.join('|')}`]
  }
  if ('const' in schema && value !== schema.const) errs.push(`${path}: not ${String(schema.const)}`)
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    errs.push(`${path}: ${String(value)} not in enum`)
  if (
    typeof schema.pattern === 'string' &&
    typeof value === 'string' &&
    !new RegExp(schema.pattern).test(value)
  ) {
    errs.push(`${path}: ${value} does not match ${schema.pattern}`)
  }
  if (typeOf(value) === 'object' && schema.properties) {
    const props = schema.properties as Record<string, Schema>
    const obj = value as Record<string, unknown>
    for (const k of (schema.required as string[] | undefined) ?? [])
      if (!(k in obj)) errs.push(`${path}.${k}: missing`)
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errs.push(...conformance(v, props[k], root, `${path}.${k}`))
      else if (schema.additionalProperties === false) errs.push(`${path}.${k}: not in the schema`)
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => errs.push(...conformance(v, schema.items as Schema, root, `${path}[${i}]`)))
  }
  return errs
}

const REPORT_SCHEMA = JSON.parse(readFileSync(join(REPO, 'docs/check-report.schema.json'), 'utf8')) as Schema
const NOW = '2026-06-06T12:00:00Z'

/** A CliIo that records what a command prints. */
function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t
    },
    stderr: (t: string) => {
      io.err += t
    },
    readStdin: async () => new Uint8Array(),
    env: { ...process.env, LIFELINE_DATA_DIR: undefined },
    cwd: REPO,
  }
  return io
}

/** Runs `lifeline` as a child process. */
function runChild(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [join(REPO, 'bin/lifeline.mjs'), ...args],
      { cwd: REPO, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        res({ code, stdout, stderr })
      },
    )
  })
}

let tmp: TempDir
let key: TestArchiveKey
let http: MirrorServer
let keyFile: string

/** Writes a root + config for `url`, returns the argument list for `check`. */
async function setup(
  name: string,
  url: string,
  opts: {
    status?: string
    osRelease?: string
    suite?: string
    keyRef?: { file: string; fingerprint: string }
    channels?: readonly unknown[]
  } = {},
): Promise<{ args: string[]; dataDir: string }> {
  const dir = join(tmp.path, name)
  const suite = opts.suite ?? 'jammy-security'
  await writeRoot(join(dir, 'root'), {
    osRelease: opts.osRelease ?? readFileSync(fixturePath('systems/jammy-kernel/etc/os-release'), 'utf8'),
    status: opts.status ?? readFileSync(fixturePath('ubuntu/dpkg_status.jammy-2022-10-09'), 'utf8'),
    sourcesList: `deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] ${url} ${suite} main\n`,
  })
  const mirror = {
    id: 'test-archive',
    name: 'Test archive',
    url,
    suites: [suite],
    components: ['main'],
    architectures: ['amd64'],
  }
  const k = opts.keyRef ?? { file: keyFile, fingerprint: key.fingerprint }
  await writeFile(
    join(dir, 'config.json'),
    configJson(mirror, { ...k, name: 'Lifeline test archive key' }, opts.channels),
  )
  const dataDir = join(dir, 'data')
  return {
    args: ['--config', join(dir, 'config.json'), '--root', join(dir, 'root'), '--data-dir', dataDir],
    dataDir,
  }
}

async function runCheck(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo()
  const code = await checkCommand.run(args, io)
  return { code, out: io.out, err: io.err }
}

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-check-')
  key = await makeTestArchiveKey()
  keyFile = join(tmp.path, 'test-archive-key.asc')
  await writeFile(keyFile, key.armoredPublic)
  const files = await jammyArchiveFiles(key)
  http = await startMirrorServer([...files].map(([p, b]) => [`/ubuntu/${p}`, b] as [string, Uint8Array]))
})

afterAll(async () => {
  await http.close()
  await tmp.cleanup()
})

describe('lifeline check', () => {
  describe('when a verified -security pocket has a newer openssl than the jammy machine runs (child process)', () => {
    let report: CheckReportJson
    let code: number
    beforeAll(async () => {
      const { args } = await setup('child', `${http.url}/ubuntu`)
      const r = await runChild(['check', '--json', '--now', NOW, ...args])
      code = r.code
      report = JSON.parse(r.stdout) as CheckReportJson
    })

    it('prints a report that conforms to docs/check-report.schema.json', () => {
      expect(conformance(report, REPORT_SCHEMA, REPORT_SCHEMA)).toEqual([])
      // The checker itself must catch a stray field and a wrong type.
      expect(
        conformance({ ...report, extra: 1, exitCode: '1' }, REPORT_SCHEMA, REPORT_SCHEMA).sort(),
      ).toEqual(['$.exitCode: 1 not in enum', '$.extra: not in the schema'])
    })

    it('exits 1 and prints a lifeline.check/1 report', () => {
      expect(code).toBe(1)
      expect(report.schema).toBe('lifeline.check/1')
      expect(report.exitCode).toBe(1)
      expect(report.release).toEqual({ id: 'ubuntu', codename: 'jammy', versionId: '22.04' })
      expect(report.mirrors.map((m) => [m.suite, m.status, m.signedBy])).toEqual([
        ['jammy-security', 'ok', key.fingerprint],
      ])
    })

    it('reports openssl as a security update with the CVE its archive changelog names (.diff.gz chain)', () => {
      const u = report.securityUpdates.find((x) => x.source === 'openssl')
      expect(u?.installedVersion).toBe('3.0.2-0ubuntu1.6')
      expect(u?.newVersion).toBe(OPENSSL_FIX)
      expect(u?.cves).toEqual(['CVE-2022-3602'])
      expect(u?.upgrades.map((t) => `${t.package}=${t.version}`).sort()).toEqual([
        `libssl3=${OPENSSL_FIX}`,
        `openssl=${OPENSSL_FIX}`,
      ])
    })

    it('prints an apt install line whose every pkg=version exists in the mirror Packages index', () => {
      const line = report.steps.find((s) => s.command?.startsWith('sudo apt install'))?.command ?? ''
      expect(line).toMatch(/^sudo apt install --only-upgrade /)
      const specs = line.replace('sudo apt install --only-upgrade ', '').split(' ')
      expect(specs.length).toBeGreaterThan(0)
      const index = parsePackages(
        new TextDecoder().decode(http.files.get('/ubuntu/dists/jammy-security/main/binary-amd64/Packages')),
      )
      for (const spec of specs) {
        const [pkgArch, version] = spec.split('=')
        const pkg = (pkgArch ?? '').split(':')[0]
        expect(
          index.some((p) => p.package === pkg && p.version === version),
          spec,
        ).toBe(true)
      }
      expect(report.steps[0]?.command).toBe('sudo apt update')
    })
  })

  describe('when run twice on the same input', () => {
    it('gives the same report', async () => {
      const a = await setup('same-a', `${http.url}/ubuntu`)
      const b = await setup('same-b', `${http.url}/ubuntu`)
      const ra = await runCheck(['--json', '--now', NOW, ...a.args])
      const rb = await runCheck(['--json', '--now', NOW, ...b.args])
      const norm = (s: string): string =>
        s.replaceAll(join(tmp.path, 'same-a'), 'X').replaceAll(join(tmp.path, 'same-b'), 'X')
      expect(ra.code).toBe(1)
      expect(norm(rb.out)).toBe(norm(ra.out))
    })
  })

  describe('when --offline follows an online check', () => {
    it('gives the same verdict and evidence from disk without a single request', async () => {
      const { args } = await setup('offline', `${http.url}/ubuntu`)
      const online = await runCheck(['--json', '--now', NOW, ...args])
      http.resetStats()
      const later = '2026-06-06T13:00:00Z'
      const offline = await runCheck(['--json', '--offline', '--now', later, ...args])
      expect(http.requests).toEqual([])
      expect(offline.code).toBe(1)
      const on = JSON.parse(online.out) as CheckReportJson
      const off = JSON.parse(offline.out) as CheckReportJson
      expect(off.offline).toBe(true)
      expect(off.securityUpdates).toEqual(on.securityUpdates)
      expect(off.verification.dataAgeSeconds).toBe(3600)
    })
  })

  describe('when --offline runs with no saved state', () => {
    it('exits 3: nothing could be verified', async () => {
      const { args } = await setup('offline-empty', `${http.url}/ubuntu`)
      const r = await runCheck(['--offline', '--now', NOW, ...args])
      expect(r.code).toBe(3)
      expect(r.out).toContain('UNKNOWN')
    })
  })

  describe('when the mirror is a file: URL (air-gapped, as apt)', () => {
    it('verifies it and exits 1 with the same steps', async () => {
      const dir = join(tmp.path, 'usb', 'ubuntu')
      await writeArchive(dir, await jammyArchiveFiles(key))
      const { args } = await setup('file', `file://${dir}`)
      const r = await runCheck(['--now', NOW, ...args])
      expect(r.code).toBe(1)
      expect(r.out).toContain(`sudo apt install --only-upgrade libssl3=${OPENSSL_FIX} openssl=${OPENSSL_FIX}`)
      expect(r.out).toContain('sudo apt update')
      expect(r.out).toContain('CVE-2022-3602')
    })
  })

  describe('when an unsigned advisory names openssl', () => {
    /** A USN-shaped OSV record (test data) for jammy openssl, fixed in `fixed`, naming CVE-2022-3602. */
    async function osvChannel(name: string, fixed: string): Promise<unknown[]> {
      const file = join(tmp.path, `${name}-USN-9999-1.json`)
      const osv = {
        schema_version: '1.6.3',
        id: 'USN-9999-1',
        summary: 'openssl vulnerability',
        details: 'Test advisory: OpenSSL could be made to crash or run programs.',
        aliases: [],
        upstream: ['CVE-2022-3602'],
        related: [],
        published: '2026-06-05T00:00:00Z',
        modified: '2026-06-05T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
            ecosystem_specific: {
              binaries: [
                { binary_name: 'openssl', binary_version: fixed },
                { binary_name: 'libssl3', binary_version: fixed },
              ],
            },
          },
        ],
        references: [],
      }
      await writeFile(file, JSON.stringify(osv))
      return [{ id: 'test-osv', name: 'Test OSV notices', type: 'osv', urls: [`file://${file}`] }]
    }

    it("raises it to archive-confirmed when the fixed version's signed changelog names its CVE (exit 1)", async () => {
      const { args } = await setup('advisory-confirmed', `${http.url}/ubuntu`, {
        channels: await osvChannel('confirmed', OPENSSL_FIX),
      })
      const r = await runCheck(['--json', '--now', NOW, ...args])
      const report = JSON.parse(r.out) as CheckReportJson
      const adv = report.advisories.find((a) => a.id === 'USN-9999-1')
      expect(adv?.status).toBe('fix-available')
      expect(adv?.trust).toBe('archive-confirmed')
      expect(r.code).toBe(1)
    })

    it('never exits 2 on an unsigned advisory alone: shown unconfirmed, no step, the verdict from the archive', async () => {
      const dir = join(tmp.path, 'nofix-adv', 'ubuntu')
      await writeArchive(dir, await jammyArchiveFiles(key, { withFix: false }))
      const { args } = await setup('advisory-nofix', `file://${dir}`, {
        channels: await osvChannel('nofix', '3.0.2-0ubuntu1.8'),
      })
      const r = await runCheck(['--json', '--now', NOW, ...args])
      const report = JSON.parse(r.out) as CheckReportJson
      const adv = report.advisories.find((a) => a.id === 'USN-9999-1')
      expect(adv?.status).toBe('no-fix-yet')
      expect(adv?.trust).toBe('single-source')
      // Only key-backed evidence moves the exit code: the verified archive has nothing newer, so 0 (docs/cli.md).
      expect(r.code).toBe(0)
      expect(report.verdictRow).toBe('safe')
      expect(report.summary).toMatch(/1 unconfirmed advisory/)
      expect(report.steps).toEqual([])
      expect(conformance(report, REPORT_SCHEMA, REPORT_SCHEMA)).toEqual([])
    })
  })

  describe('when the verified mirror has nothing newer', () => {
    it('exits 0', async () => {
      const dir = join(tmp.path, 'nofix', 'ubuntu')
      await writeArchive(dir, await jammyArchiveFiles(key, { withFix: false }))
      const { args } = await setup('nofix', `file://${dir}`)
      const r = await runCheck(['--json', '--now', NOW, ...args])
      expect(r.code).toBe(0)
      expect((JSON.parse(r.out) as CheckReportJson).steps).toEqual([])
    })
  })

  describe('when the only mirror is unreachable', () => {
    it('exits 3', async () => {
      const down = await startMirrorServer()
      const url = `${down.url}/ubuntu`
      await down.close()
      const { args } = await setup('down', url)
      const r = await runCheck(['--json', '--now', NOW, ...args])
      expect(r.code).toBe(3)
      const report = JSON.parse(r.out) as CheckReportJson
      expect(report.mirrors[0]?.status).toBe('unreachable')
      expect(conformance(report, REPORT_SCHEMA, REPORT_SCHEMA)).toEqual([])
    })
  })

  describe('when the Release is too old for --now', () => {
    it('reports the mirror stale ("reached, but old") and still offers its verified fix (exit 1)', async () => {
      const { args } = await setup('stale', `${http.url}/ubuntu`)
      const r = await runCheck(['--json', '--now', '2026-06-20T12:00:00Z', ...args])
      const report = JSON.parse(r.out) as CheckReportJson
      expect(report.mirrors[0]?.status).toBe('stale')
      expect(report.mirrors[0]?.verified).toBe(true)
      expect(report.coverage?.securityPocket.state).toBe('old')
      expect(report.securityUpdates.map((u) => u.source)).toContain('openssl')
      expect(report.verdict).toBe('attention')
      expect(report.summary).toMatch(/newer fixes may exist that Lifeline cannot see/)
      expect(r.code).toBe(1)
    })
  })

  describe('when an option is unknown (child process)', () => {
    it('exits 64', async () => {
      const r = await runChild(['check', '--frobnicate'])
      expect(r.code).toBe(64)
      expect(r.stderr).toContain('unknown option --frobnicate')
    })
  })

  describe('when the machine is Debian bookworm against the real Debian-signed bookworm-security archive', () => {
    let report: CheckReportJson
    let code: number
    beforeAll(async () => {
      const deb = await startMirrorServer()
      await publishBookwormSecurity(deb)
      try {
        const debKey = join(tmp.path, 'debian-security-key.asc')
        await writeFile(debKey, await debianKeyArmored(DEBIAN_SECURITY_FPR))
        // The real bookworm status, plus sudo at the version before the CVE-2025-32462 fix.
        const status =
          readFileSync(fixturePath('debian/dpkg_status.bookworm'), 'utf8').replace(/\n*$/, '\n\n') +
          [
            'Package: sudo',
            'Status: install ok installed',
            'Priority: optional',
            'Section: admin',
            'Maintainer: Sudo Maintainers <sudo@packages.debian.org>',
            'Architecture: amd64',
            'Version: 1.9.13p3-1+deb12u1',
            'Description: Provide limited super user privileges to specific users',
            '',
          ].join('\n')
        const { args } = await setup('bookworm', `${deb.url}/debian-security`, {
          status,
          suite: 'bookworm-security',
          osRelease:
            'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
          keyRef: { file: debKey, fingerprint: DEBIAN_SECURITY_FPR },
        })
        // 36 security updates, 24 changelogs per check (Limits.evidence): the second check reads the rest, the
        // sources whose artifact this test mirror lacks having rotated to the back of the queue.
        const first = await runCheck(['--json', '--now', '2026-11-21T00:00:00Z', ...args])
        // Missing artifacts are expected gaps: they go to the diagnostics log, not to stderr.
        expect(first.err).not.toContain('NET_NOT_FOUND')
        const r = await runCheck(['--json', '--now', '2026-11-21T00:00:00Z', ...args])
        code = r.code
        report = JSON.parse(r.out) as CheckReportJson
      } finally {
        await deb.close()
      }
    })

    it('verifies the mirror with the pinned Debian key and exits 1', () => {
      expect(report.mirrors[0]?.status).toBe('ok')
      expect(report.mirrors[0]?.signedBy).toBe(DEBIAN_SECURITY_FPR)
      expect(code).toBe(1)
    })

    it('names CVE-2025-32462 for sudo from the signed chain InRelease → Sources → .debian.tar.xz → changelog', () => {
      const sudo = report.securityUpdates.find((u) => u.source === 'sudo')
      expect(sudo?.newVersion).toBe('1.9.13p3-1+deb12u2')
      expect(sudo?.cves).toEqual(['CVE-2025-32462'])
    })

    it('conforms to the schema with dozens of updates', () => {
      expect(report.securityUpdates.length).toBeGreaterThan(20)
      expect(conformance(report, REPORT_SCHEMA, REPORT_SCHEMA)).toEqual([])
    })

    it('names the tiff CVEs fixed after the installed 4.5.0-6+deb12u2', () => {
      const tiff = report.securityUpdates.find((u) => u.source === 'tiff')
      expect(tiff?.newVersion).toBe('4.5.0-6+deb12u4')
      expect(tiff?.cves).toContain('CVE-2026-4775')
    })
  })
})
