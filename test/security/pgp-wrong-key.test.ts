/**
 * Attack: a mirror (or a man in the middle) serves an InRelease re-signed with the attacker's own key, or a real
 * Debian InRelease in place of an Ubuntu one. Only pinned keys count: PGP_UNKNOWN_SIGNER.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import {
  clearsign,
  codeOf,
  debianKeyring,
  fixtureText,
  REAL_INRELEASES,
  TEST_NOW,
  testKey,
  ubuntuKeyring,
} from '../unit/core/pgp/pgp-test-kit'

describe('attack: document signed by a key that is not pinned', () => {
  describe('when an Ubuntu InRelease is re-signed with an attacker key', () => {
    it('throws PGP_UNKNOWN_SIGNER', async () => {
      const attacker = await testKey('test-only-rsa3072')
      const f = REAL_INRELEASES[0]!
      const doc = fixtureText(f.file)
      const text = doc.slice(doc.indexOf('\n\n') + 2, doc.indexOf('\n-----BEGIN PGP SIGNATURE-----'))
      const forged = await clearsign(text.replace('Origin: Ubuntu', 'Origin: Ubuntu '), attacker, {
        date: f.now - 1000,
      })
      expect(
        await codeOf(verifyCleartext(forged, await ubuntuKeyring(), { role: 'archive', now: TEST_NOW })),
      ).toBe('PGP_UNKNOWN_SIGNER')
    })
  })

  describe('when a real Debian InRelease is served to a client pinning Ubuntu keys', () => {
    it('throws PGP_UNKNOWN_SIGNER', async () => {
      const f = REAL_INRELEASES.find((x) => x.distro === 'debian')!
      expect(
        await codeOf(
          verifyCleartext(fixtureText(f.file), await ubuntuKeyring(), { role: 'archive', now: f.now }),
        ),
      ).toBe('PGP_UNKNOWN_SIGNER')
      const u = REAL_INRELEASES[0]!
      expect(
        await codeOf(
          verifyCleartext(fixtureText(u.file), await debianKeyring(), { role: 'archive', now: u.now }),
        ),
      ).toBe('PGP_UNKNOWN_SIGNER')
    })
  })
})
