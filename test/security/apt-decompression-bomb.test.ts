/**
 * Attack: a small compressed index that inflates to gigabytes (exhausting memory) — the decompressor's output
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
})
