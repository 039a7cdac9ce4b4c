/**
 * Attack / failure: a saved package list (a compact piece in `<data>/state/indexes/`) is altered on disk — a
 * bit flip, a truncated write by another tool, or someone adding a version to make a "fix" appear.
 *
 * A piece is checked against the SHA256 recorded when it was written (main/core/apt/compact-index.ts
 * readCompactPiece): a damaged one is moved aside and reported, only the suites using it stop vouching for
 * anything (fail closed: their status is STATE_CORRUPT_PIECE, not ok), everything else keeps working, and the
 * next online check fetches the piece again.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckParts } from '../../main/core/check'
import { silentLogger } from '../../main/core/ports'
import { generateLabKeys } from '../../main/lab/archive'
import { startFullArchive, writeFullArchiveMachine, type FullArchive } from '../../main/lab/full-archive'
import { createAppEngine } from '../../main/node/app'
import type { Engine } from '../../main/node/engine'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const NOW = Date.parse('2026-12-01T12:00:00Z')

let tmp: TempDir
let archive: FullArchive
let engine: Engine
let dataDir: string

function updateFor(parts: CheckParts, name: string): string | undefined {
  return parts.assessment?.securityUpdates
    .find((u) => u.upgrades.some((t) => t.package === name))
    ?.upgrades.find((t) => t.package === name)?.version
}

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-piece-')
  const keys = await generateLabKeys(NOW - 30 * 24 * 3600_000)
  archive = await startFullArchive({
    key: keys.archive.privateKey,
    date: NOW - 3600_000,
    suites: { noble: 400, 'noble-security': 60 },
    architectures: ['amd64'],
    mirrors: 1,
  })
  const machine = await writeFullArchiveMachine(tmp.path, archive, keys.archive)
  dataDir = join(tmp.path, 'data')
  const created = await createAppEngine({
    dataDir,
    resourcesDir: resolve(import.meta.dirname, '../../resources'),
    configFile: machine.configFile,
    root: machine.rootDir,
    codename: 'noble',
    log: silentLogger,
  })
  if (!created.ok) throw new Error(created.message)
  engine = created.value.engine
}, 120_000)

afterAll(async () => {
  await archive?.close()
  await tmp?.cleanup()
})

describe('a saved package list altered on disk', () => {
  it('costs only the suite that uses it, is reported, and is fetched again by the next check', async () => {
    const first = await engine.run(NOW, () => undefined)
    expect(updateFor(first, archive.probe.name)).toBe(archive.probe.security)

    // The -security main piece: the one listing the probe's update. Add a "fix" line, keep the rest.
    const dir = join(dataDir, 'state', 'indexes')
    let target: string | undefined
    for (const f of await readdir(dir)) {
      const text = await readFile(join(dir, f), 'utf8')
      if (text.includes(`${archive.probe.name}\tamd64\t${archive.probe.security}`)) target = f
    }
    expect(target).toBeDefined()
    const text = await readFile(join(dir, target ?? ''), 'utf8')
    await writeFile(join(dir, target ?? ''), text.replace(archive.probe.security, '99:9.9-9'))

    const offline = await engine.runOffline(NOW + 60_000, () => undefined)
    expect(updateFor(offline, archive.probe.name)).toBeUndefined()
    const byCode = offline.mirrors.map((m) => [m.suite, m.state, m.code])
    expect(byCode).toEqual([
      ['noble', 'ok', undefined],
      ['noble-security', 'unreachable', 'STATE_CORRUPT_PIECE'],
    ])
    expect(offline.systemProblems?.join(' ')).toMatch(/damaged or missing on disk/)
    expect((await readdir(dir)).some((f) => f.startsWith(`${target ?? ''}.corrupt-`))).toBe(true)

    const again = await engine.run(NOW + 120_000, () => undefined)
    expect(updateFor(again, archive.probe.name)).toBe(archive.probe.security)
    expect(again.mirrors.map((m) => m.state)).toEqual(['ok', 'ok'])
  }, 120_000)
})
