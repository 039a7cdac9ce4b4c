import { open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPEN_UNTRUSTED, readToEndCapped } from '../../../main/node/read-capped'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

let dir: TempDir

/** 200 KiB where every byte depends on its offset, so a chunk copied to the wrong place shows. */
const LARGE = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff))

async function read(path: string, maxBytes: number, sizeHint?: number): Promise<Uint8Array | undefined> {
  const handle = await open(path, OPEN_UNTRUSTED)
  try {
    return await readToEndCapped(handle, maxBytes, sizeHint)
  } finally {
    await handle.close()
  }
}

beforeAll(async () => {
  dir = await makeTempDir('lifeline-read-capped-')
  await writeFile(join(dir.path, 'large'), LARGE)
  await writeFile(join(dir.path, 'small'), 'Origin: Ubuntu\n')
  await writeFile(join(dir.path, 'empty'), '')
})
afterAll(() => dir.cleanup())

describe('readToEndCapped', () => {
  it('reads a file larger than its first buffer byte for byte when the size is not known (as for /proc)', async () => {
    const got = await read(join(dir.path, 'large'), 1 << 20, 0)
    expect(got && Buffer.from(got).equals(LARGE)).toBe(true)
  })
  it('reads a file whose size hint was too small (it grew after the stat)', async () => {
    const got = await read(join(dir.path, 'large'), 1 << 20, 10)
    expect(got?.byteLength).toBe(LARGE.length)
  })
  it('takes a file of exactly the cap and refuses one byte more', async () => {
    expect((await read(join(dir.path, 'large'), LARGE.length, LARGE.length))?.byteLength).toBe(LARGE.length)
    expect(await read(join(dir.path, 'large'), LARGE.length - 1, LARGE.length)).toBeUndefined()
    // The size hint is only a hint: a file that claims to be small is still stopped at the cap.
    expect(await read(join(dir.path, 'large'), 100_000, 0)).toBeUndefined()
  })
  it('returns a small file in an array of its own size, not the first 64 KiB buffer', async () => {
    const got = await read(join(dir.path, 'small'), 1 << 20, 0)
    expect(Buffer.from(got ?? []).toString()).toBe('Origin: Ubuntu\n')
    expect(got?.buffer.byteLength).toBe(15)
  })
  it('reads an empty file as no bytes, also with a cap of 0', async () => {
    expect((await read(join(dir.path, 'empty'), 0))?.byteLength).toBe(0)
    expect(await read(join(dir.path, 'small'), 0)).toBeUndefined()
  })
  it('reads a file under /proc, which says size 0', async () => {
    const got = await read('/proc/self/status', 1 << 20, 0)
    expect(Buffer.from(got ?? []).toString()).toMatch(/^Name:/)
  })
})
