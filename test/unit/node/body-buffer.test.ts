import { describe, expect, it } from 'vitest'
import { BodyBuffer } from '../../../main/node/http-exchange'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('BodyBuffer', () => {
  describe('with a declared length', () => {
    it('copies each chunk after the last and returns the whole array', () => {
      const body = new BodyBuffer(5)
      expect(body.add(bytes(1, 2))).toBe(true)
      expect(body.add(bytes(3, 4, 5))).toBe(true)
      expect(body.size).toBe(5)
      expect([...body.bytes()]).toEqual([1, 2, 3, 4, 5])
    })
    it('refuses a chunk that would run past the declared length and takes none of it', () => {
      const body = new BodyBuffer(3)
      expect(body.add(bytes(1, 2))).toBe(true)
      expect(body.add(bytes(3, 4))).toBe(false)
      expect(body.size).toBe(2)
      expect([...body.bytes()]).toEqual([1, 2])
    })
    it('returns only the bytes taken when fewer arrived (no zero filler)', () => {
      const body = new BodyBuffer(10)
      body.add(bytes(7, 8))
      const out = body.bytes()
      expect([...out]).toEqual([7, 8])
      expect(out.buffer.byteLength).toBe(2)
    })
    it('does not keep a reference to the chunks it copied', () => {
      const body = new BodyBuffer(2)
      const chunk = bytes(1, 2)
      body.add(chunk)
      chunk[0] = 99
      expect([...body.bytes()]).toEqual([1, 2])
    })
  })
  describe('without a declared length', () => {
    it('joins the chunks in order at the end', () => {
      const body = new BodyBuffer(undefined)
      body.add(bytes(1))
      body.add(bytes())
      body.add(bytes(2, 3))
      expect(body.size).toBe(3)
      const out = body.bytes()
      expect([...out]).toEqual([1, 2, 3])
      expect(out.byteOffset).toBe(0)
      expect(out.buffer.byteLength).toBe(3)
    })
    it('returns an empty array for an empty body', () => {
      expect(new BodyBuffer(undefined).bytes().byteLength).toBe(0)
      expect(new BodyBuffer(0).bytes().byteLength).toBe(0)
    })
  })
})
