import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CoreError } from '../../../main/core/errors'
import type { CorruptStateReport } from '../../../main/node/file-state-store'
import { createFileStateStore, STATE_SCHEMA } from '../../../main/node/file-state-store'
import { makeTempDir } from '../../support/temp-dir'
import type { TempDir } from '../../support/temp-dir'

const NOW = Date.parse('2026-03-01T12:00:00Z')

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e.code
    throw e
  }
  throw new Error('expected a CoreError')
}

let dir: TempDir
beforeEach(async () => {
  dir = await makeTempDir()
})
afterEach(async () => {
  await dir.cleanup()
})

describe('createFileStateStore', () => {
  describe('when a value is written', () => {
    it('reads it back inside a versioned envelope', async () => {
      const store = createFileStateStore(join(dir.path, 'data'), { now: () => NOW })
      await store.write('mirrors', { a: [1, 2], b: 'x' })
      expect(await store.read('mirrors')).toEqual({ a: [1, 2], b: 'x' })
      const raw = JSON.parse(await readFile(join(dir.path, 'data', 'mirrors.json'), 'utf8')) as unknown
      expect(raw).toEqual({
        schema: STATE_SCHEMA,
        savedAt: '2026-03-01T12:00:00.000Z',
        data: { a: [1, 2], b: 'x' },
      })
    })
    it('leaves no temp file behind', async () => {
      const store = createFileStateStore(dir.path)
      await store.write('s', 1)
      await store.write('s', 2)
      expect(await readdir(dir.path)).toEqual(['s.json'])
    })
    it('keeps the last of concurrent writes', async () => {
      const store = createFileStateStore(dir.path)
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.write('s', i)))
      expect(await store.read('s')).toBe(19)
      expect(await readdir(dir.path)).toEqual(['s.json'])
    })
  })

  describe('when nothing was written', () => {
    it('returns undefined', async () => {
      expect(await createFileStateStore(dir.path).read('absent')).toBeUndefined()
    })
  })

  describe('when the file is corrupt', () => {
    it.each([
      ['truncated JSON', '{"schema":1,"savedAt":"x","data":{'],
      ['not an envelope', '[1,2,3]'],
      ['no schema', '{"savedAt":"x","data":1}'],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ])('moves a file with %s aside, reports it and returns undefined', async (_what, content) => {
      await writeFile(join(dir.path, 'mirrors.json'), content)
      const reports: CorruptStateReport[] = []
      const store = createFileStateStore(dir.path, { now: () => NOW, onCorrupt: (r) => reports.push(r) })
      expect(await store.read('mirrors')).toBeUndefined()
      expect(reports).toHaveLength(1)
      expect(reports[0]?.movedTo).toBe(join(dir.path, 'mirrors.json.corrupt-2026-03-01T12-00-00-000Z'))
      expect(await readdir(dir.path)).toEqual(['mirrors.json.corrupt-2026-03-01T12-00-00-000Z'])
      expect(await readFile(reports[0]?.movedTo ?? '')).toEqual(Buffer.from(content))
    })
    it('moves aside a file over the size cap', async () => {
      await writeFile(
        join(dir.path, 'big.json'),
        JSON.stringify({ schema: 1, savedAt: 'x', data: 'y'.repeat(500) }),
      )
      const reports: CorruptStateReport[] = []
      const store = createFileStateStore(dir.path, { maxBytes: 100, onCorrupt: (r) => reports.push(r) })
      expect(await store.read('big')).toBeUndefined()
      expect(reports[0]?.reason).toMatch(/larger than 100/)
    })
  })

  describe('when the file has a newer schema', () => {
    it('throws STATE_NEWER_SCHEMA on read and write, and never overwrites it', async () => {
      const content = JSON.stringify({ schema: STATE_SCHEMA + 1, savedAt: 'x', data: { future: true } })
      await writeFile(join(dir.path, 'mirrors.json'), content)
      const store = createFileStateStore(dir.path)
      expect(await codeOf(store.read('mirrors'))).toBe('STATE_NEWER_SCHEMA')
      expect(await codeOf(store.write('mirrors', { past: true }))).toBe('STATE_NEWER_SCHEMA')
      expect(await readFile(join(dir.path, 'mirrors.json'), 'utf8')).toBe(content)
      expect(await readdir(dir.path)).toEqual(['mirrors.json'])
    })
  })

  describe('when the file has an older schema', () => {
    it('passes its data through migrate', async () => {
      await writeFile(join(dir.path, 's.json'), JSON.stringify({ schema: 1, savedAt: 'x', data: 5 }))
      const store = createFileStateStore(dir.path, { schema: 2, migrate: (from, d) => ({ from, d }) })
      expect(await store.read('s')).toEqual({ from: 1, d: 5 })
    })
  })

  describe('when the name is not a plain stem', () => {
    it.each(['../escape', 'a/b', '', '.hidden'])('throws STATE_BAD_NAME for %j', async (name) => {
      expect(await codeOf(createFileStateStore(dir.path).read(name))).toBe('STATE_BAD_NAME')
    })
  })

  describe('when the value is over the size cap', () => {
    it('throws STATE_TOO_LARGE and keeps the old file', async () => {
      const store = createFileStateStore(dir.path, { maxBytes: 200 })
      await store.write('s', 'small')
      expect(await codeOf(store.write('s', 'z'.repeat(500)))).toBe('STATE_TOO_LARGE')
      expect(await store.read('s')).toBe('small')
    })
  })
})
