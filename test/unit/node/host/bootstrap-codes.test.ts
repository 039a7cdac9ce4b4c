import { describe, expect, it } from 'vitest'
import { Limits } from '../../../../main/core/limits'
import { bootstrapMessage, createBootstrapCodes } from '../../../../main/node/host/bootstrap-codes'

function clock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('createBootstrapCodes', () => {
  describe('when a fresh code is redeemed', () => {
    it('accepts it once, then refuses it as unknown', () => {
      const codes = createBootstrapCodes(clock().now)
      const code = codes.issue()
      expect(codes.redeem(code)).toBeUndefined()
      expect(codes.redeem(code)).toBe('unknown-code')
    })
  })

  describe('when the code has outlived its lifetime', () => {
    it('refuses it as expired, and then as unknown', () => {
      const c = clock()
      const codes = createBootstrapCodes(c.now)
      const code = codes.issue()
      c.advance(Limits.host.bootstrapCodeTtlMs)
      expect(codes.redeem(code)).toBe('expired-code')
      expect(codes.redeem(code)).toBe('unknown-code')
    })
  })

  describe('when more codes are issued than may be outstanding', () => {
    it('drops the oldest first', () => {
      const codes = createBootstrapCodes(clock().now)
      const issued = Array.from({ length: Limits.host.maxBootstrapCodes + 1 }, () => codes.issue())
      expect(codes.redeem(issued[0] as string)).toBe('unknown-code')
      expect(codes.redeem(issued[issued.length - 1] as string)).toBeUndefined()
      expect(codes.redeem(issued[1] as string)).toBeUndefined()
    })
  })

  describe('when the host stops', () => {
    it('kills every outstanding code', () => {
      const codes = createBootstrapCodes(clock().now)
      const code = codes.issue()
      codes.clear()
      expect(codes.redeem(code)).toBe('unknown-code')
    })
  })

  describe('when a code is not one it issued', () => {
    it('refuses it as unknown, with a sentence for the page', () => {
      const codes = createBootstrapCodes(clock().now)
      codes.issue()
      expect(codes.redeem('not-a-code')).toBe('unknown-code')
      expect(bootstrapMessage('unknown-code')).toBe(
        'This link was already used, or it is not from this run of Lifeline.',
      )
    })
  })
})
