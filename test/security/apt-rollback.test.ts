/**
 * Attack (rollback / replay): after a newer Release was accepted, a mirror serves an older, validly signed one
 * (still within its maximum age) to hide the latest security update. The persisted high-water mark refuses it.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: Release older than the high-water mark', () => {
  describe('when the accepted Release is one second newer', () => {
    it('throws APT_ROLLBACK', () => {
      const info = parseRelease(releaseText('debian/bookworm-security_InRelease'))
      const opts = { expectedSuite: 'bookworm-security', now: info.date + 3600_000 }
      expect(codeOfSync(() => checkRelease(info, { ...opts, highWaterDate: info.date + 1000 }))).toBe(
        'APT_ROLLBACK',
      )
      expect(() => checkRelease(info, { ...opts, highWaterDate: info.date })).not.toThrow()
    })
  })
})
