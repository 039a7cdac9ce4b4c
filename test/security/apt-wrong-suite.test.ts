/**
 * Attack (substitution): a mirror answers the request for noble-security with another genuinely signed Release —
 * the noble release pocket, which has no security fixes — or with a different distribution's security suite.
 * Neither Suite nor Codename matches, so it is refused.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: Release of another suite', () => {
  describe('when noble (release pocket) is served for noble-security', () => {
    it('throws APT_WRONG_SUITE', () => {
      const info = parseRelease(releaseText('ubuntu/apt/noble_InRelease'))
      expect(codeOfSync(() => checkRelease(info, { expectedSuite: 'noble-security', now: info.date }))).toBe(
        'APT_WRONG_SUITE',
      )
    })
  })

  describe('when jammy-security is served for noble-security', () => {
    it('throws APT_WRONG_SUITE', () => {
      const info = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      expect(codeOfSync(() => checkRelease(info, { expectedSuite: 'noble-security', now: info.date }))).toBe(
        'APT_WRONG_SUITE',
      )
    })
  })
})
