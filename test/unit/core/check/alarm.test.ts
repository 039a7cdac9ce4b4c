import { describe, expect, it } from 'vitest'
import type { AdvisoryAssessment, Assessment } from '../../../../main/core/assess/types'
import { alarmOf } from '../../../../main/core/check/alarm'
import { coverageWithUsage as coverage, namedMirror as mirror } from '../../../support/mirror-usage'

const advisory = (status: AdvisoryAssessment['status'], trust: AdvisoryAssessment['trust']) =>
  ({ id: 'USN-1-1', status, trust }) as AdvisoryAssessment

const assessment = (advisories: AdvisoryAssessment[]) => ({ advisories }) as unknown as Assessment

describe('alarmOf', () => {
  describe('when the verdict is not red', () => {
    it('gives no alarm', () => {
      expect(alarmOf({ verdict: 'attention', mirrors: [mirror('b', 'frozen')] })).toBeNull()
    })
  })

  describe('when a mirror this computer may use failed verification', () => {
    it('says it is the attack case and to keep away from that mirror', () => {
      const alarm = alarmOf({ verdict: 'alarm', mirrors: [mirror('a', 'ok'), mirror('b', 'frozen')] })
      expect(alarm?.case).toBe('attack')
      expect(alarm?.advice).toBe(
        'Do not install updates from Mirror b until Lifeline shows it verified again. The other mirrors did not fail verification.',
      )
    })
  })

  describe("when the failing mirror is one this computer's apt does not use", () => {
    it('says apt installed nothing from there, as the verdict sentence does', () => {
      const alarm = alarmOf({
        verdict: 'alarm',
        mirrors: [mirror('a', 'ok'), mirror('b', 'rolled-back')],
        coverage: coverage({ a: true, b: false }),
      })
      expect(alarm?.case).toBe('attack')
      expect(alarm?.advice).toBe(
        "This computer's apt does not use Mirror b, so it installed nothing from there. The other mirrors did not fail verification.",
      )
    })
  })

  describe('when a key-backed advisory leaves this computer exposed', () => {
    it('is the exposed case; with a suspicious mirror as well, both', () => {
      const exposed = assessment([advisory('no-fix-yet', 'signed')])
      expect(alarmOf({ verdict: 'alarm', mirrors: [mirror('a', 'ok')], assessment: exposed })).toEqual({
        case: 'exposed',
        advice: 'Follow the mitigation of the advisory below until a verified fix arrives.',
      })
      const both = alarmOf({ verdict: 'alarm', mirrors: [mirror('b', 'bad-signature')], assessment: exposed })
      expect(both?.case).toBe('both')
      expect(both?.advice).toMatch(/^Follow the mitigation .+ Do not install updates from Mirror b /)
    })
  })

  describe('when an unsigned advisory says no fix exists', () => {
    it('does not call this computer exposed', () => {
      const unsigned = assessment([advisory('no-fix-yet', 'single-source')])
      expect(alarmOf({ verdict: 'alarm', mirrors: [mirror('a', 'ok')], assessment: unsigned })?.case).toBe(
        'other',
      )
    })
  })

  describe('when only advisory sources disagree', () => {
    it('is the attack case, and says to follow only the signed one', () => {
      const alarm = alarmOf({
        verdict: 'alarm',
        mirrors: [mirror('a', 'ok')],
        assessment: assessment([advisory('fix-available', 'conflict')]),
      })
      expect(alarm).toEqual({
        case: 'attack',
        advice: 'Advisory sources disagree about a fix: follow only the signed one, or ask your helpdesk.',
      })
    })
  })
})
