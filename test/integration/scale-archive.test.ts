/**
 * Scale: an archive whose package lists are over the old 32 MiB state limit, served by three mirrors with
 * identical indexes (main/lab/full-archive.ts, on 127.0.0.1), polled by the real CLI in child processes.
 *
 * Before the content-addressed state (main/core/apt/mirror-store.ts), every mirror's packages went into one JSON
 * rewritten on each check, and beyond 32 MiB `mirrors` and `check` stopped with exit 70. Now `mirrors` and
 * `check` answer, each distinct index is downloaded and stored once, and `check` finds the verified update.
 */
import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckReportJson } from '../../main/cli/commands/check'
import { generateLabKeys } from '../../main/lab/archive'
import { startFullArchive, writeFullArchiveMachine, type FullArchive } from '../../main/lab/full-archive'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const REPO = resolve(import.meta.dirname, '../..')
const NOW = Date.parse('2026-12-01T12:00:00Z')
const OLD_STATE_LIMIT = 32 * 1024 * 1024

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

let tmp: TempDir
let archive: FullArchive
let args: string[]
let dataDir: string

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-scale-')
  const keys = await generateLabKeys(NOW - 30 * 24 * 3600_000)
  archive = await startFullArchive({
    key: keys.archive.privateKey,
    date: NOW - 3600_000,
    // About 36,000 stanzas of ~970 bytes: just over 32 MiB of package lists.
    suites: { noble: 24_000, 'noble-updates': 6_000, 'noble-security': 6_000 },
    architectures: ['amd64'],
    mirrors: 3,
  })
  const machine = await writeFullArchiveMachine(tmp.path, archive, keys.archive)
  dataDir = join(tmp.path, 'data')
  args = ['--config', machine.configFile, '--root', machine.rootDir, '--data-dir', dataDir]
}, 180_000)

afterAll(async () => {
  await archive?.close()
  await tmp?.cleanup()
})

describe('an archive over the old 32 MiB state limit, three identical mirrors', () => {
  it('is really over the old limit', () => {
    expect(archive.distinctUncompressedBytes).toBeGreaterThan(OLD_STATE_LIMIT)
    expect(archive.distinctIndexUrls).toHaveLength(12)
  })

  describe('lifeline mirrors', () => {
    let r: { code: number; stdout: string; stderr: string }
    beforeAll(async () => {
      r = await runChild(['mirrors', '--json', '--now', new Date(NOW).toISOString(), ...args])
    }, 180_000)

    it('answers, every mirror × suite verified', () => {
      expect(r.stderr).not.toMatch(/This is a bug/)
      expect(r.code).toBe(0)
      const report = JSON.parse(r.stdout) as { mirrors: { mirrorId: string; status: string }[] }
      expect(report.mirrors).toHaveLength(9)
      expect(new Set(report.mirrors.map((m) => m.status))).toEqual(new Set(['ok']))
    })

    it('downloads each distinct index once, not once per mirror', () => {
      expect(archive.indexDownloads()).toBe(12)
    })

    it('stores each index once, as a compact piece, and a small per-suite state', async () => {
      const state = join(dataDir, 'state')
      const pieces = (await readdir(join(state, 'indexes'))).filter((f) => f.endsWith('.idx'))
      expect(pieces).toHaveLength(12)
      let pieceBytes = 0
      for (const f of pieces) pieceBytes += (await stat(join(state, 'indexes', f))).size
      // The compact form keeps package, architecture, version and source: a few percent of the stanzas.
      expect(pieceBytes).toBeLessThan(archive.distinctUncompressedBytes / 10)
      expect((await stat(join(state, 'mirrors.json'))).size).toBeLessThan(64 * 1024)
    })
  })

  describe('lifeline check', () => {
    let report: CheckReportJson
    let code: number
    beforeAll(async () => {
      const r = await runChild(['check', '--json', '--now', new Date(NOW).toISOString(), ...args])
      expect(r.stderr).not.toMatch(/This is a bug/)
      code = r.code
      report = JSON.parse(r.stdout) as CheckReportJson
    }, 180_000)

    it('answers with the verified security update of the installed package', () => {
      expect(code).toBe(1)
      const u = report.securityUpdates.find((x) => x.upgrades.some((t) => t.package === archive.probe.name))
      expect(u?.installedVersion).toBe(archive.probe.release)
      expect(u?.newVersion).toBe(archive.probe.security)
      expect(u?.upgrades[0]).toMatchObject({ suite: 'noble-security', mirror: 'full-0', onUsedMirror: true })
      expect(report.mirrors.every((m) => m.status === 'ok')).toBe(true)
    })

    it('answers the same offline, from the saved state', async () => {
      const r = await runChild([
        'check',
        '--json',
        '--offline',
        '--now',
        new Date(NOW + 60_000).toISOString(),
        ...args,
      ])
      expect(r.code).toBe(code)
      const offline = JSON.parse(r.stdout) as CheckReportJson
      expect(offline.securityUpdates.map((x) => [x.source, x.newVersion])).toEqual(
        report.securityUpdates.map((x) => [x.source, x.newVersion]),
      )
    }, 120_000)
  })
})
