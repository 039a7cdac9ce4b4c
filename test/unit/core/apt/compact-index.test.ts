import { describe, expect, it } from 'vitest'
import {
  CompactIndexBuilder,
  compactPieceOf,
  readCompactPiece,
} from '../../../../main/core/apt/compact-index'
import { parsePackages } from '../../../../main/core/apt/indexes'
import { isCoreError } from '../../../../main/core/errors'
import { fullPackagesIndex } from '../../../../main/lab/full-archive'

const enc = new TextEncoder()
const CAP = 64 * 1024 * 1024

/** A real-shaped index: 3,000 stanzas, some with `Source:`, some `Architecture: all`. */
const INDEX = fullPackagesIndex({
  suite: 'noble',
  component: 'main',
  arch: 'amd64',
  count: 3000,
  first: 0,
  later: false,
})

async function build(chunks: readonly Uint8Array[]) {
  const b = new CompactIndexBuilder(CAP)
  for (const c of chunks) b.pushBytes(c)
  return b.finish()
}

function split(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size))
  return out
}

describe('CompactIndexBuilder', () => {
  describe('when the index arrives in chunks of any size', () => {
    it('gives the same piece as the whole index, listing what parsePackages lists', async () => {
      const whole = await build([INDEX])
      const expected = parsePackages(new TextDecoder().decode(INDEX))
      expect(whole.entries).toBe(expected.length)
      const tuples = await readCompactPiece(whole.bytes, whole.sha256)
      expect(tuples.map((t) => [t[0], t[1], t[2], t[3] ?? t[0], t[4] ?? t[2]])).toEqual(
        expected.map((p) => [p.package, p.architecture, p.version, p.source, p.sourceVersion]),
      )
      // Odd sizes cut inside stanzas, lines and (for 1 and 7) inside the blank-line separator.
      for (const size of [7, 4096, 65_537]) {
        const piece = await build(split(INDEX, size))
        expect(piece.sha256).toBe(whole.sha256)
      }
      const small = INDEX.subarray(0, INDEX.indexOf(enc.encode('\n\n'), 20_000) + 2)
      expect((await build(split(small, 1))).sha256).toBe((await build([small])).sha256)
    })

    it('keeps UTF-8 split inside a character', async () => {
      const text = enc.encode(
        'Package: a\nArchitecture: all\nVersion: 1\nFilename: pool/a.deb\nSize: 1\n' +
          `SHA256: ${'a'.repeat(64)}\nDescription: café ☕\n`,
      )
      const piece = await build(split(text, 1))
      expect(await readCompactPiece(piece.bytes, piece.sha256)).toEqual([['a', 'all', '1']])
    })
  })

  describe('when the compact form grows over the cap', () => {
    it('throws APT_STATE_CAP', async () => {
      const b = new CompactIndexBuilder(10_000)
      let err: unknown
      try {
        b.pushBytes(INDEX)
        await b.finish()
      } catch (e) {
        err = e
      }
      expect(isCoreError(err, 'APT_STATE_CAP')).toBe(true)
    })
  })

  describe('when a stanza is malformed', () => {
    it('throws the parser code (APT_MISSING_FIELD)', async () => {
      let err: unknown
      try {
        await build([enc.encode('Package: a\nVersion: 1\n\n')])
      } catch (e) {
        err = e
      }
      expect(isCoreError(err, 'APT_MISSING_FIELD')).toBe(true)
    })
  })
})

describe('readCompactPiece', () => {
  describe('when a byte of the stored piece changed', () => {
    it('throws STATE_CORRUPT_PIECE', async () => {
      const p = await compactPieceOf([
        ['a', 'amd64', '1'],
        ['b', 'amd64', '2', 'bsrc'],
      ])
      const bad = Uint8Array.from(p.bytes)
      const at = bad.length - 2
      bad[at] = (bad[at] ?? 0) ^ 1
      await expect(readCompactPiece(bad, p.sha256)).rejects.toMatchObject({ code: 'STATE_CORRUPT_PIECE' })
    })
  })

  describe('when the recorded hash matches but lines are missing', () => {
    it('throws STATE_CORRUPT_PIECE (the header count is checked too)', async () => {
      const p = await compactPieceOf([['a', 'amd64', '1']])
      const cut = enc.encode(new TextDecoder().decode(p.bytes).replace('\t1\n', '\t2\n'))
      const { sha256Hex } = await import('../../../../main/core/apt/indexes')
      await expect(readCompactPiece(cut, await sha256Hex(cut))).rejects.toMatchObject({
        code: 'STATE_CORRUPT_PIECE',
      })
    })
  })

  describe('with a name filter', () => {
    it('returns only the names asked for', async () => {
      const p = await compactPieceOf([
        ['a', 'amd64', '1'],
        ['b', 'all', '2', 'src', '1:2'],
      ])
      expect(await readCompactPiece(p.bytes, p.sha256, (n) => n === 'b')).toEqual([
        ['b', 'all', '2', 'src', '1:2'],
      ])
    })
  })
})
