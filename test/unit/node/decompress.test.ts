import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../main/core/apt/indexes'
import { createDecompressor } from '../../../main/node/decompress'
import { codeOf, fixtureBytes, fixtureText } from '../core/apt/apt-fixtures'

const decompress = createDecompressor()
const SOURCES_XZ = 'debian/source-evidence/bookworm-security_main_source_Sources.xz'

describe('createDecompressor', () => {
  describe('when given the real Sources.xz', () => {
    it('yields the exact index the InRelease signs', async () => {
      const out = await decompress('xz', fixtureBytes(SOURCES_XZ), 16 << 20)
      expect(out.byteLength).toBe(8020069)
      expect(await sha256Hex(out)).toBe('447e6b4d6593d0c30695503bf00ef7d50964562b090bf5e67834fce7c2069f8d')
    })
  })

  describe('when given gzip (single and multi-member)', () => {
    it('yields the original bytes', async () => {
      const text = fixtureText('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
      const gz = gzipSync(text)
      expect(new TextDecoder().decode(await decompress('gz', gz, 1 << 20))).toBe(text)
      const two = Buffer.concat([gzipSync('ab'), gzipSync('cd')])
      expect(new TextDecoder().decode(await decompress('gz', two, 10))).toBe('abcd')
    })
  })

  describe('when the output would exceed the cap', () => {
    it('throws NET_TOO_LARGE for xz', async () => {
      expect(await codeOf(() => decompress('xz', fixtureBytes(SOURCES_XZ), 1 << 20))).toBe('NET_TOO_LARGE')
    })

    it('throws NET_TOO_LARGE for a gzip bomb without inflating it all', async () => {
      const bomb = gzipSync(new Uint8Array(16 << 20))
      expect(bomb.byteLength).toBeLessThan(20_000)
      expect(await codeOf(() => decompress('gz', bomb, 1 << 20))).toBe('NET_TOO_LARGE')
    })

    it('accepts output of exactly the cap', async () => {
      expect((await decompress('gz', gzipSync(new Uint8Array(1000)), 1000)).byteLength).toBe(1000)
    })
  })

  describe('when the input is corrupt', () => {
    it.each([
      ['xz with a flipped byte', 'xz', () => flip(fixtureBytes(SOURCES_XZ), 5000)],
      ['xz truncated', 'xz', () => fixtureBytes(SOURCES_XZ).subarray(0, 1000)],
      ['not xz at all', 'xz', () => new TextEncoder().encode('Package: x\n')],
      ['gzip with a flipped byte', 'gz', () => flip(gzipSync('hello hello hello'), 12)],
      ['not gzip at all', 'gz', () => new TextEncoder().encode('Package: x\n')],
    ] as const)('throws APT_CORRUPT_COMPRESSION for %s', async (_what, format, make) => {
      expect(await codeOf(() => decompress(format, make(), 16 << 20))).toBe('APT_CORRUPT_COMPRESSION')
    })
  })
})

function flip(b: Uint8Array, at: number): Uint8Array {
  const c = Uint8Array.from(b)
  c[at] = (c[at] ?? 0) ^ 0xff
  return c
}
