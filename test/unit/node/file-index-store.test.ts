import { readdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileIndexStore } from '../../../main/node/file-index-store'
import type { CorruptStateReport } from '../../../main/node/file-state-store'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const bytes = (s: string) => new TextEncoder().encode(s)

let tmp: TempDir
beforeEach(async () => {
  tmp = await makeTempDir()
})
afterEach(() => tmp.cleanup())

describe('createFileIndexStore', () => {
  it('stores pieces by key, atomically, without temp files left over', async () => {
    const s = createFileIndexStore(join(tmp.path, 'indexes'))
    expect(await s.has(A)).toBe(false)
    expect(await s.get(A)).toBeUndefined()
    await s.put(A, bytes('one'))
    expect(await s.has(A)).toBe(true)
    expect(new TextDecoder().decode(await s.get(A))).toBe('one')
    expect(await readdir(join(tmp.path, 'indexes'))).toEqual([`${A}.idx`])
  })

  it('refuses a key that is not 64 lower-case hex digits (no path can be named)', async () => {
    const s = createFileIndexStore(tmp.path)
    for (const k of ['../x', 'A'.repeat(64), `${A}/..`, '']) {
      await expect(s.put(k, bytes('x'))).rejects.toMatchObject({ code: 'STATE_BAD_NAME' })
    }
  })

  it('moves a discarded piece aside and reports it', async () => {
    const reports: CorruptStateReport[] = []
    const s = createFileIndexStore(tmp.path, { onCorrupt: (r) => reports.push(r), now: () => 0 })
    await s.put(A, bytes('one'))
    await s.discard(A, 'hash differs')
    expect(await s.has(A)).toBe(false)
    expect(reports).toMatchObject([{ name: `indexes/${A}`, reason: 'hash differs' }])
    expect(await readdir(tmp.path)).toEqual([`${A}.idx.corrupt-1970-01-01T00-00-00-000Z`])
  })

  it('prunes unreferenced pieces older than the grace time, keeps the rest', async () => {
    const s = createFileIndexStore(tmp.path, { pruneGraceMs: 60_000 })
    await s.put(A, bytes('one'))
    await s.put(B, bytes('two'))
    await writeFile(join(tmp.path, 'notes.txt'), 'not a piece')
    await s.prune(new Set([A]))
    // B is unreferenced but fresh: another process may be about to reference it.
    expect((await readdir(tmp.path)).sort()).toEqual([`${A}.idx`, `${B}.idx`, 'notes.txt'])
    const old = new Date(Date.now() - 120_000)
    await utimes(join(tmp.path, `${B}.idx`), old, old)
    await utimes(join(tmp.path, `${A}.idx`), old, old)
    await s.prune(new Set([A]))
    expect((await readdir(tmp.path)).sort()).toEqual([`${A}.idx`, 'notes.txt'])
  })
})
