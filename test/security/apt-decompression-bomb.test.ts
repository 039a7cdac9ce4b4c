/**
 * Attack: a small compressed index (or bzip2 source artifact) that inflates to gigabytes (exhausting memory) — the decompressor's output
 * cap stops it with NET_TOO_LARGE, the same code an oversized download gets.
 */
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createDecompressor } from '../../main/node/decompress'
import { codeOf, fixtureBytes } from '../unit/core/apt/apt-fixtures'

describe('attack: decompression bomb', () => {
  describe('when a gzip index inflates past the cap', () => {
    it('throws NET_TOO_LARGE', async () => {
      const bomb = gzipSync(new Uint8Array(8 << 20))
      expect(await codeOf(() => createDecompressor()('gz', bomb, 1 << 20))).toBe('NET_TOO_LARGE')
    })
  })

  describe('when an xz index inflates past the cap', () => {
    it('throws NET_TOO_LARGE', async () => {
      const xz = fixtureBytes('debian/source-evidence/bookworm-security_main_source_Sources.xz')
      expect(await codeOf(() => createDecompressor()('xz', xz, 2 << 20))).toBe('NET_TOO_LARGE')
    })
  })

  describe('when a bzip2 source artifact inflates past the cap', () => {
    it('throws NET_TOO_LARGE', async () => {
      expect(await codeOf(() => createDecompressor()('bz2', BZIP2_BOMB, 1 << 20))).toBe('NET_TOO_LARGE')
    })
  })
})

/** 79 bytes of bzip2 that inflate to 64 MiB of zeros (Python's `bz2.compress(bytes(64 << 20), 9)`). */
const BZIP2_BOMB = Buffer.from(
  'QlpoOTFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZvAS1wwCidcAAwAAACCAAIKQINjKKiE0qKiE4u5IpwoSFALuD6A==',
  'base64',
)
