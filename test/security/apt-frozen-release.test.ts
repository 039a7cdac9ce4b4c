/**
 * Attack (freeze): a mirror keeps serving an old, validly signed Debian Release after its Valid-Until, hiding
 * every later security update. Debian repository format, "Valid-Until": the Release must be refused.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: frozen Release past Valid-Until', () => {
  describe('when now is one second after Valid-Until', () => {
    it('throws APT_FROZEN', () => {
      const info = parseRelease(releaseText('debian/bookworm-security_InRelease'))
      const now = (info.validUntil ?? 0) + 1000
      expect(
        codeOfSync(() => checkRelease(info, { expectedSuite: 'bookworm-security', now, maxAgeMs: Infinity })),
      ).toBe('APT_FROZEN')
      expect(() =>
        checkRelease(info, { expectedSuite: 'bookworm-security', now: now - 2000, maxAgeMs: Infinity }),
      ).not.toThrow()
    })
  })
})
