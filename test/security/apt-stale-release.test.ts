/**
 * Attack (freeze without Valid-Until): Ubuntu Releases carry no Valid-Until, so a mirror could serve a 2022
 * jammy-security Release forever. The per-suite maximum age (2 days for -security) refuses it.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: stale Ubuntu Release (no Valid-Until)', () => {
  describe('when the 2022 jammy-security Release is served in 2026', () => {
    it('throws APT_STALE', () => {
      const info = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      expect(info.validUntil).toBeUndefined()
      const now = Date.parse('2026-11-21T12:00:00Z')
      expect(codeOfSync(() => checkRelease(info, { expectedSuite: 'jammy-security', now }))).toBe('APT_STALE')
    })
  })

  describe('when it is three days old', () => {
    it('throws APT_STALE for -security (2 days) but not for -backports (7 days)', () => {
      const sec = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      const bp = parseRelease(releaseText('ubuntu/apt/jammy-backports_InRelease.2022-10-09'))
      const threeDays = 3 * 24 * 3600_000
      expect(
        codeOfSync(() => checkRelease(sec, { expectedSuite: 'jammy-security', now: sec.date + threeDays })),
      ).toBe('APT_STALE')
      expect(() =>
        checkRelease(bp, { expectedSuite: 'jammy-backports', now: bp.date + threeDays }),
      ).not.toThrow()
    })
  })
})
