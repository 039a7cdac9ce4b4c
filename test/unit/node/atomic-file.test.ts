import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../main/node/atomic-file'
import { readToEndCapped } from '../../../main/node/read-capped'
import { makeTempDir } from '../../support/temp-dir'
import type { TempDir } from '../../support/temp-dir'

const bytes = (text: string) => new TextEncoder().encode(text)

let dir: TempDir
beforeEach(async () => {
  dir = await makeTempDir()
})
afterEach(async () => {
  await dir.cleanup()
})

describe('writeFileAtomic', () => {
  describe('when the folder is missing', () => {
    it('creates it by default, and the file is private to its owner (0600)', async () => {
      const folder = join(dir.path, 'a', 'b')
      await writeFileAtomic(folder, 'state.json', bytes('{"x":1}'))
      expect(await readFile(join(folder, 'state.json'), 'utf8')).toBe('{"x":1}')
      expect((await stat(join(folder, 'state.json'))).mode & 0o777).toBe(0o600)
    })

    it('fails with ENOENT and leaves nothing behind when told not to create it', async () => {
      const folder = join(dir.path, 'missing')
      await expect(writeFileAtomic(folder, 'x.prom', bytes('x'), { createDir: false })).rejects.toMatchObject(
        {
          code: 'ENOENT',
        },
      )
      expect(await readdir(dir.path)).toEqual([])
    })
  })

  describe('when a mode is given', () => {
    it('creates the file with it (before the umask)', async () => {
      const old = process.umask(0o022)
      try {
        await writeFileAtomic(dir.path, 'lifeline.prom', bytes('m 1\n'), { mode: 0o644 })
      } finally {
        process.umask(old)
      }
      expect((await stat(join(dir.path, 'lifeline.prom'))).mode & 0o777).toBe(0o644)
    })
  })

  describe('when the file exists', () => {
    it('replaces it whole and leaves no temporary file', async () => {
      await writeFile(join(dir.path, 'lifeline.prom'), 'old\n')
      await writeFileAtomic(dir.path, 'lifeline.prom', bytes('new\n'), { createDir: false })
      expect(await readFile(join(dir.path, 'lifeline.prom'), 'utf8')).toBe('new\n')
      expect(await readdir(dir.path)).toEqual(['lifeline.prom'])
    })
  })

  describe('when the rename fails', () => {
    it('removes its temporary file', async () => {
      // A folder where the file should go: the rename over it fails (EISDIR).
      await mkdir(join(dir.path, 'taken'))
      await expect(writeFileAtomic(dir.path, 'taken', bytes('x'))).rejects.toMatchObject({ code: 'EISDIR' })
      expect(await readdir(dir.path)).toEqual(['taken'])
    })
  })
})

describe('readToEndCapped', () => {
  async function readWithCap(content: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const path = join(dir.path, 'f')
    await writeFile(path, content)
    const handle = await open(path, 'r')
    try {
      return await readToEndCapped(handle, maxBytes)
    } finally {
      await handle.close()
    }
  }

  describe('when the file fits the cap exactly', () => {
    it('returns all of it', async () => {
      expect(new TextDecoder().decode(await readWithCap('12345', 5))).toBe('12345')
    })
  })

  describe('when the file is one byte over the cap', () => {
    it('returns undefined', async () => {
      expect(await readWithCap('123456', 5)).toBeUndefined()
    })
  })

  describe('when the file is empty', () => {
    it('returns no bytes', async () => {
      expect(await readWithCap('', 5)).toEqual(new Uint8Array(0))
    })
  })
})
