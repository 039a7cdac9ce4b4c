/**
 * Attack: a document signed with an expired key (e.g. an old, leaked or abandoned archive key) is replayed.
 * The key must be valid at `now`, not only when it signed: PGP_KEY_EXPIRED.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { clearsign, codeOf, TEST_NOW, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

describe('attack: signature by an expired pinned key', () => {
  describe('when the key expired (2024-01-31) after signing (2024-01-10)', () => {
    it('throws PGP_KEY_EXPIRED at a later now', async () => {
      const key = await testKey('test-only-expired-ed25519')
      const ring = await testKeyring(['test-only-expired-ed25519', 'archive'])
      const doc = await clearsign('Origin: Test\n', key, { date: Date.UTC(2024, 0, 10) })
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_KEY_EXPIRED',
      )
    })

    it('still verifies while the key is valid (the test can fail)', async () => {
      const key = await testKey('test-only-expired-ed25519')
      const ring = await testKeyring(['test-only-expired-ed25519', 'archive'])
      const doc = await clearsign('Origin: Test\n', key, { date: Date.UTC(2024, 0, 10) })
      const v = await verifyCleartext(doc, ring, { role: 'archive', now: Date.UTC(2024, 0, 20) })
      expect(v.signers[0]?.fingerprint).toBe(key.fingerprint)
    })
  })
})
