/**
 * Attack / failure: a saved mirror state over the old 32 MiB limit (three full mirrors, or a few architectures,
 * in the format that kept every index's packages inline). `mirrors` and `check` used to stop with exit 70
 * ("This is a bug"), printing and saving nothing.
 *
 * Now the state is read once (up to Limits.size.legacyMirrorsStateBytes), migrated to content-addressed pieces
 * (main/core/apt/mirror-store.ts), and both commands answer — with the rollback high-water mark the old state
 * held still in force (a migration must never reset rollback protection).
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckReportJson } from '../../main/cli/commands/check'
import { generateLabKeys } from '../../main/lab/archive'
import { startFullArchive, writeFullArchiveMachine, type FullArchive } from '../../main/lab/full-archive'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const REPO = resolve(import.meta.dirname, '../..')
const NOW = Date.parse('2026-12-01T12:00:00Z')
const RELEASE_DATE = NOW - 3600_000
const OLD_LIMIT = 32 * 1024 * 1024

function runChild(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [join(REPO, 'bin/lifeline.mjs'), ...args],
      { cwd: REPO, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        res({ code, stdout, stderr })
      },
    )
  })
}

/** A version 1 mirror state (packages inline) over `minBytes`, as the envelope the state store writes. */
function legacyState(minBytes: number): string {
  const suites: Record<string, unknown> = {}
  // The configured mirror: its release pocket already saw a Release one day newer than the one served now.
  suites['full-0\u0000noble'] = {
    mirrorId: 'full-0',
    suite: 'noble',
    baseUrl: 'http://127.0.0.1:1/m0/ubuntu',
    highWater: RELEASE_DATE + 24 * 3600_000,
    indexes: {},
    last: { state: 'ok', at: NOW - 3600_000 },
  }
  // Mirrors no longer configured, with full package lists: what makes the file large.
  let bytes = 0
  for (let m = 0; bytes < minBytes; m++) {
    const packages: unknown[] = []
    for (let i = 0; i < 100_000; i++) {
      packages.push([`oldpkg-${m}-${i}`, 'amd64', `1.${i % 97}.${i % 13}-1ubuntu1`, `oldsrc-${m}-${i >> 2}`])
    }
    const sha = (m + 1).toString(16).padStart(64, '0')
    suites[`old-${m}\u0000noble`] = {
      mirrorId: `old-${m}`,
      suite: 'noble',
      baseUrl: `http://old-${m}.invalid/ubuntu`,
      highWater: RELEASE_DATE - 3600_000,
      verified: {
        date: RELEASE_DATE - 3600_000,
        suite: 'noble',
        codename: 'noble',
        signedBy: '0'.repeat(40),
        verifiedAt: NOW - 7200_000,
        file: 'InRelease',
        url: `http://old-${m}.invalid/ubuntu/dists/noble/InRelease`,
      },
      indexes: {
        'universe/binary-amd64': {
          component: 'universe',
          arch: 'amd64',
          sha256: sha,
          size: 1,
          fetchedPath: 'universe/binary-amd64/Packages.xz',
          packages,
        },
      },
      last: { state: 'ok', at: NOW - 7200_000 },
    }
    bytes += JSON.stringify(packages).length
  }
  return JSON.stringify({
    schema: 1,
    savedAt: new Date(NOW - 3600_000).toISOString(),
    data: { version: 1, suites },
  })
}

let tmp: TempDir
let archive: FullArchive
let args: string[]
let dataDir: string

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-bigstate-')
  const keys = await generateLabKeys(NOW - 30 * 24 * 3600_000)
  archive = await startFullArchive({
    key: keys.archive.privateKey,
    date: RELEASE_DATE,
    suites: { noble: 400, 'noble-security': 60 },
    architectures: ['amd64'],
    mirrors: 1,
  })
  const machine = await writeFullArchiveMachine(tmp.path, archive, keys.archive)
  dataDir = join(tmp.path, 'data')
  args = ['--config', machine.configFile, '--root', machine.rootDir, '--data-dir', dataDir]
  await mkdir(join(dataDir, 'state'), { recursive: true })
  await writeFile(join(dataDir, 'state', 'mirrors.json'), legacyState(OLD_LIMIT + 1024 * 1024))
}, 180_000)

afterAll(async () => {
  await archive?.close()
  await tmp?.cleanup()
})

describe('a saved mirror state over the old 32 MiB limit', () => {
  it('is over the old limit on disk', async () => {
    // Checked before the commands run (the file is rewritten, small, by the migration).
    const size = (await stat(join(dataDir, 'state', 'mirrors.json'))).size
    expect(size).toBeGreaterThan(OLD_LIMIT)
  })

  describe('lifeline mirrors', () => {
    let r: { code: number; stdout: string; stderr: string }
    beforeAll(async () => {
      r = await runChild(['mirrors', '--json', '--now', new Date(NOW).toISOString(), ...args])
    }, 180_000)

    it('answers (exit 1, not 70) with every configured suite', () => {
      expect(r.stderr).not.toMatch(/This is a bug/)
      expect(r.code).toBe(1)
      const report = JSON.parse(r.stdout) as {
        mirrors: { suite: string; status: string; code: string | null }[]
      }
      expect(report.mirrors.map((m) => [m.suite, m.status, m.code])).toEqual([
        // The high-water mark carried over from the old state: the older Release served now is a rollback.
        ['noble', 'rolled-back', 'APT_ROLLBACK'],
        ['noble-security', 'ok', null],
      ])
    })

    it('saved the state in the new format, small, with the old records migrated', async () => {
      const text = await readFile(join(dataDir, 'state', 'mirrors.json'), 'utf8')
      expect(text.length).toBeLessThan(1024 * 1024)
      const env = JSON.parse(text) as {
        data: { version: number; suites: Record<string, { highWater?: number; indexes: object }> }
      }
      expect(env.data.version).toBe(2)
      expect(env.data.suites['full-0\u0000noble']?.highWater).toBe(RELEASE_DATE + 24 * 3600_000)
      expect(env.data.suites['old-0\u0000noble']?.indexes).toHaveProperty(
        'universe/binary-amd64.entries',
        100_000,
      )
    })
  })

  describe('lifeline check', () => {
    it('answers with a report (not exit 70), the rolled-back pocket shown as such', async () => {
      const r = await runChild(['check', '--json', '--now', new Date(NOW).toISOString(), ...args])
      expect(r.stderr).not.toMatch(/This is a bug/)
      expect(r.code).not.toBe(70)
      const report = JSON.parse(r.stdout) as CheckReportJson
      expect(report.schema).toBe('lifeline.check/1')
      expect(report.mirrors.map((m) => [m.suite, m.status])).toEqual([
        ['noble', 'rolled-back'],
        ['noble-security', 'ok'],
      ])
    }, 120_000)
  })
})
