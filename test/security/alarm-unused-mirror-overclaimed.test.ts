/**
 * Attack: a mirror that fails verification is waved through as "not used by this computer", so the red banner tells
 * the person nothing was installed from it. Lifeline may say so only when the coverage record lists that very mirror
 * as unused by apt; a missing record, or a failing mirror the record does not list, must keep the warning
 * (main/core/check/alarm.ts `suspiciousMirrorsUnused`).
 */
import { describe, expect, it } from 'vitest'
import { alarmOf } from '../../main/core/check/alarm'
import { coverageWithUsage as coverage, namedMirror as mirror } from '../support/mirror-usage'

const WARNING = 'Do not install updates from Mirror evil until Lifeline shows it verified again.'

describe('attack: a failing mirror passed off as unused', () => {
  describe('when the check has no coverage record', () => {
    it('keeps the warning', () => {
      const alarm = alarmOf({ verdict: 'alarm', mirrors: [mirror('evil', 'bad-signature')] })
      expect(alarm?.advice).toContain(WARNING)
    })
  })

  describe('when the coverage record does not list the failing mirror', () => {
    it('keeps the warning', () => {
      const alarm = alarmOf({
        verdict: 'alarm',
        mirrors: [mirror('good', 'ok'), mirror('evil', 'hash-mismatch')],
        coverage: coverage({ good: false }),
      })
      expect(alarm?.advice).toContain(WARNING)
    })
  })

  describe('when one failing mirror is unused and another is used', () => {
    it('keeps the warning for both', () => {
      const alarm = alarmOf({
        verdict: 'alarm',
        mirrors: [mirror('evil', 'rolled-back'), mirror('used', 'frozen')],
        coverage: coverage({ evil: false, used: true }),
      })
      expect(alarm?.advice).toContain('Do not install updates from Mirror evil or Mirror used')
    })
  })
})
