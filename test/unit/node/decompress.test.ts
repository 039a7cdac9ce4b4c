import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../main/core/apt/indexes'
import { createDecompressor } from '../../../main/node/decompress'
import { codeOf, fixtureBytes, fixtureText } from '../core/apt/apt-fixtures'

const decompress = createDecompressor()
const SOURCES_XZ = 'debian/source-evidence/bookworm-security_main_source_Sources.xz'
const BZIP2_DEBIAN_TAR = 'ubuntu/source-evidence/bzip2_1.0.8-5.1.debian.tar.bz2'
/** Two bzip2 streams, of "ab" and "cd", one after the other (Python's bz2.compress of each), as pbzip2 writes. */
const BZ2_TWO_STREAMS =
  'QlpoOTFBWSZTWemT/c0AAAABADAAIAAhAIKxdyRThQkOmT/c0EJaaDkxQVkmU1lT5y5wAAAAAQAMACAAIQCCsXckU4UJBT5y5wA='

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

  describe('when given bzip2 (the real .debian.tar.bz2 of Ubuntu bzip2 1.0.8-5.1, and two streams)', () => {
    it('yields the bytes bunzip2 gives', async () => {
      const out = await decompress('bz2', fixtureBytes(BZIP2_DEBIAN_TAR), 16 << 20)
      // `bzip2 -dc` of the fixture: 122880 bytes with this SHA256.
      expect(out.byteLength).toBe(122880)
      expect(await sha256Hex(out)).toBe('fb9c4dd38f3f0265ff0ae53e0d6c9b6a6efa96850db880184b89e133ec61a80d')
      const two = Buffer.from(BZ2_TWO_STREAMS, 'base64')
      expect(new TextDecoder().decode(await decompress('bz2', two, 4))).toBe('abcd')
    })
  })

  describe('when the output would exceed the cap', () => {
    it('throws NET_TOO_LARGE for bzip2', async () => {
      const bz = fixtureBytes(BZIP2_DEBIAN_TAR)
      expect(await codeOf(() => decompress('bz2', bz, 100_000))).toBe('NET_TOO_LARGE')
      expect(await codeOf(() => decompress('bz2', Buffer.from(BZ2_TWO_STREAMS, 'base64'), 3))).toBe(
        'NET_TOO_LARGE',
      )
    })

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
      ['bzip2 with a flipped byte', 'bz2', () => flip(fixtureBytes(BZIP2_DEBIAN_TAR), 5000)],
      ['bzip2 truncated', 'bz2', () => fixtureBytes(BZIP2_DEBIAN_TAR).subarray(0, 1000)],
      ['bzip2 with trailing garbage', 'bz2', () => concat(fixtureBytes(BZIP2_DEBIAN_TAR), 'garbage')],
      ['not bzip2 at all', 'bz2', () => new TextEncoder().encode('Package: x\n')],
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

function concat(b: Uint8Array, tail: string): Uint8Array {
  return Uint8Array.from([...b, ...new TextEncoder().encode(tail)])
}
