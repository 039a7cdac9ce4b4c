import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CoreError } from '../../../main/core/errors'
import { createDecompressStream } from '../../../main/node/decompress'
import { codeOf, fixtureBytes } from '../core/apt/apt-fixtures'

const stream = createDecompressStream()
const SOURCES_XZ = 'debian/source-evidence/bookworm-security_main_source_Sources.xz'

describe('createDecompressStream', () => {
  describe('when given the real Sources.xz', () => {
    it('streams the exact index the InRelease signs, in chunks, and hashes it on the way', async () => {
      let total = 0
      let chunks = 0
      const out = await stream('xz', fixtureBytes(SOURCES_XZ), 16 << 20, (c) => {
        total += c.byteLength
        chunks++
      })
      expect(out).toEqual({
        size: 8020069,
        sha256: '447e6b4d6593d0c30695503bf00ef7d50964562b090bf5e67834fce7c2069f8d',
      })
      expect(total).toBe(8020069)
      expect(chunks).toBeGreaterThan(1)
    })
  })

  describe('when given gzip (multi-member)', () => {
    it('streams the original bytes', async () => {
      const parts: string[] = []
      const gz = Buffer.concat([gzipSync('ab'), gzipSync('cd')])
      const out = await stream('gz', gz, 10, (c) => parts.push(new TextDecoder().decode(c)))
      expect(parts.join('')).toBe('abcd')
      expect(out.size).toBe(4)
    })
  })

  describe('when the output would exceed the cap', () => {
    it('throws NET_TOO_LARGE for a gzip bomb and for xz', async () => {
      const bomb = gzipSync(new Uint8Array(16 << 20))
      expect(await codeOf(() => stream('gz', bomb, 1 << 20, () => undefined))).toBe('NET_TOO_LARGE')
      expect(await codeOf(() => stream('xz', fixtureBytes(SOURCES_XZ), 1 << 20, () => undefined))).toBe(
        'NET_TOO_LARGE',
      )
    })
  })

  describe('when the consumer fails (a parse error in the index)', () => {
    it('stops and passes the error on as is', async () => {
      const fail = () => {
        throw new CoreError('APT_PARSE', 'bad stanza')
      }
      expect(await codeOf(() => stream('xz', fixtureBytes(SOURCES_XZ), 16 << 20, fail))).toBe('APT_PARSE')
      expect(await codeOf(() => stream('gz', gzipSync('abc'), 10, fail))).toBe('APT_PARSE')
    })
  })

  describe('when the data is not compressed as announced', () => {
    it('throws APT_CORRUPT_COMPRESSION', async () => {
      expect(await codeOf(() => stream('xz', new Uint8Array(100), 10, () => undefined))).toBe(
        'APT_CORRUPT_COMPRESSION',
      )
      expect(await codeOf(() => stream('gz', new Uint8Array(100), 10, () => undefined))).toBe(
        'APT_CORRUPT_COMPRESSION',
      )
    })
  })
})
