import { mkdir, writeFile } from 'node:fs/promises'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reportCommand } from '../../../main/cli/commands/report'
import type { CliIo } from '../../../main/cli/io'
import { createRotatingLog } from '../../../main/node/diagnostics/log'
import { buildDiagnosticReport } from '../../../main/node/diagnostics/report'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', '..', 'resources')
const T0 = Date.parse('2026-05-01T10:00:00Z')

function fakeIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  const out: string[] = []
  const err: string[] = []
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new Uint8Array(),
    env: {},
    cwd,
  }
}

async function state(dataDir: string, name: string, data: unknown): Promise<void> {
  await mkdir(join(dataDir, 'state'), { recursive: true })
  await writeFile(
    join(dataDir, 'state', `${name}.json`),
    JSON.stringify({ schema: 1, savedAt: '2026-05-01T10:00:00Z', data }),
  )
}

describe('lifeline report', () => {
  let tmp: TempDir
  let data: string
  let args: string[]
  beforeEach(async () => {
    tmp = await makeTempDir()
    data = join(tmp.path, 'data')
    args = [
      '--data-dir',
      data,
      '--etc-dir',
      join(tmp.path, 'etc'),
      '--resources',
      RESOURCES,
      '--codename',
      'noble',
    ]
    await state(data, 'last-report', {
      startedAt: T0,
      finishedAt: T0 + 5000,
      verdict: 'attention',
      summary: 'One mirror is frozen.',
      anyVerified: true,
      mirrors: [
        {
          mirrorId: 'ubuntu-archive',
          suite: 'noble-security',
          url: 'http://archive.ubuntu.com/ubuntu',
          state: 'ok',
          checkedAt: T0,
          releaseDate: T0 - 3600_000,
        },
        {
          mirrorId: 'org-mirror',
          suite: 'noble-security',
          url: 'https://m.example.org/ubuntu',
          state: 'frozen',
          code: 'APT_RELEASE_EXPIRED',
          checkedAt: T0,
        },
      ],
    })
    const log = createRotatingLog({ dir: join(data, 'logs'), now: () => T0 })
    log.info('poll started')
    log.error(`cannot write ${join(homedir(), 'x')} on ${hostname()}`, {
      key: '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQVYBGZ\n-----END PGP PRIVATE KEY BLOCK-----',
    })
    await log.flush()
  })
  afterEach(() => tmp.cleanup())

  describe('when state and log files exist', () => {
    it('prints versions, configuration, sources and recent errors', async () => {
      const io = fakeIo(tmp.path)
      expect(await reportCommand.run(args, io)).toBe(0)
      const out = io.out()
      expect(out).toMatch(/^Lifeline diagnostic report, \d{4}-/)
      expect(out).toContain('Lifeline 0.1.0; Node ')
      expect(out).toContain(
        '  ubuntu-archive  http://archive.ubuntu.com/ubuntu  noble noble-updates noble-security\n',
      )
      expect(out).toContain('Last check: 2026-05-01T10:00:05.000Z: attention — One mirror is frozen.\n')
      expect(out).toMatch(
        /org-mirror noble-security +frozen {2}\(APT_RELEASE_EXPIRED, checked 2026-05-01T10:00:00.000Z\)/,
      )
      expect(out).toContain(
        'Recent warnings and errors (1):\n  2026-05-01T10:00:00.000Z ERROR cannot write ~/x on ',
      )
      expect(out).not.toContain('poll started')
    })

    it('never prints the home folder, the host name or key material', async () => {
      const io = fakeIo(tmp.path)
      await reportCommand.run([...args, '--json'], io)
      const out = io.out()
      if (homedir().length > 1) expect(out).not.toContain(homedir())
      const host = hostname()
      if (host.length >= 3 && !['localhost', 'ubuntu'].includes(host)) expect(out).not.toContain(host)
      expect(out).not.toContain('PRIVATE KEY')
      expect(out).not.toContain('lQVYBGZ')
    })

    it('prints JSON with sources and config under --json', async () => {
      const io = fakeIo(tmp.path)
      expect(await reportCommand.run([...args, '--json'], io)).toBe(0)
      const j = JSON.parse(io.out()) as {
        sources: { id: string; state: string }[]
        config: { mirrors: { id: string }[]; locked: string[] }
        recentProblems: unknown[]
      }
      expect(j.sources.map((s) => `${s.id}:${s.state}`)).toEqual(['ubuntu-archive:ok', 'org-mirror:frozen'])
      expect(j.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive', 'ubuntu-security'])
      expect(j.config.locked).toEqual([])
      expect(j.recentProblems).toHaveLength(1)
    })
  })

  describe("when the data folder is a user's home", () => {
    it('redacts the user name and home paths everywhere, including configuration file paths', async () => {
      const r = await buildDiagnosticReport({
        dataDir: data,
        resourcesDir: RESOURCES,
        etcDir: join(tmp.path, 'etc'),
        codename: 'noble',
        appVersion: '9.9.9',
        redaction: { home: tmp.path, user: 'lifeline-test-user', hostname: 'box-42' },
      })
      expect(JSON.stringify(r)).not.toContain(tmp.path)
      expect(r.app.version).toBe('9.9.9')
    })
  })

  describe('when nothing was ever saved', () => {
    it('still exits 0 and says so', async () => {
      const io = fakeIo(tmp.path)
      expect(
        await reportCommand.run(
          ['--data-dir', join(tmp.path, 'empty'), '--resources', RESOURCES, '--codename', 'noble'],
          io,
        ),
      ).toBe(0)
      expect(io.out()).toContain('Last check: none saved\n')
      expect(io.out()).toContain('  none checked yet\n')
    })
  })

  describe('when used wrongly', () => {
    it('exits 64', async () => {
      const io = fakeIo(tmp.path)
      expect(await reportCommand.run(['--bogus'], io)).toBe(64)
      expect(await reportCommand.run(['extra'], io)).toBe(64)
    })
  })
})
