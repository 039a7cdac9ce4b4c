/**
 * Attack: the archive key was compromised and revoked; the thief signs with it, even back-dating the signature to
 * before the revocation. A revoked pinned key never verifies: PGP_KEY_REVOKED.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { clearsign, codeOf, TEST_NOW, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

describe('attack: signature by a revoked pinned key', () => {
  describe('when the signature is made after the revocation (2024-03-01)', () => {
    it('throws PGP_KEY_REVOKED', async () => {
      const key = await testKey('test-only-revoked-ed25519')
      const ring = await testKeyring(['test-only-revoked-ed25519', 'archive'])
      const doc = await clearsign('Origin: Test\n', key, { date: Date.UTC(2024, 5, 1) })
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_KEY_REVOKED',
      )
    })
  })

  describe('when the signature is back-dated to before the revocation', () => {
    it('throws PGP_KEY_REVOKED', async () => {
      const key = await testKey('test-only-revoked-ed25519')
      const ring = await testKeyring(['test-only-revoked-ed25519', 'archive'])
      const doc = await clearsign('Origin: Test\n', key, { date: Date.UTC(2024, 1, 1) })
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_KEY_REVOKED',
      )
    })
  })
})
