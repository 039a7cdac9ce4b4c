/**
 * Attack: a Release dated in the future (made with a stolen key, or replayed against a machine whose clock is
 * behind) would raise the high-water mark and lock out the genuine Releases. Beyond the clock-skew allowance it
 * is refused.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { Limits } from '../../main/core/limits'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: Release Date in the future', () => {
  describe('when the Date is more than the clock skew ahead of now', () => {
    it('throws APT_DATE_IN_FUTURE', () => {
      const info = parseRelease(releaseText('ubuntu/apt/noble-security_InRelease'))
      const now = info.date - Limits.time.clockSkewMs - 1000
      expect(codeOfSync(() => checkRelease(info, { expectedSuite: 'noble-security', now }))).toBe(
        'APT_DATE_IN_FUTURE',
      )
      expect(() => checkRelease(info, { expectedSuite: 'noble-security', now: now + 2000 })).not.toThrow()
    })
  })
})
