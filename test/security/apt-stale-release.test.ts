/**
 * Attack (freeze without Valid-Until): Ubuntu Releases carry no Valid-Until, so a mirror could serve a 2022
 * jammy-security Release forever. The per-suite maximum age (7 days for -security, the last-resort freshness rule
 * of main/core/check/freshness.ts) refuses it, while a real weekend publishing gap (51 h) is not mistaken for one.
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

  describe('when it is eight days old', () => {
    it('throws APT_STALE for -security (7 days)', () => {
      const sec = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      const eightDays = 8 * 24 * 3600_000
      expect(
        codeOfSync(() => checkRelease(sec, { expectedSuite: 'jammy-security', now: sec.date + eightDays })),
      ).toBe('APT_STALE')
    })
  })

  describe('when it is 51 hours old (measured: jammy-security over a weekend)', () => {
    it('is not refused: Ubuntu leaves a pocket unsigned that long when nothing changes', () => {
      const sec = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      const gap = 51.2 * 3600_000
      expect(() => checkRelease(sec, { expectedSuite: 'jammy-security', now: sec.date + gap })).not.toThrow()
    })
  })
})
