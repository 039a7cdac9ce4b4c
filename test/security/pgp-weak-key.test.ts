/**
 * Attack: a key small enough to factor (RSA-1024), pinned by mistake or smuggled in as a signing subkey of a
 * strong pinned key. openpgp.js's reject set (RSA < 2047 bits, DSA, ElGamal) applies: PGP_WEAK_KEY.
 */
import { describe, expect, it } from 'vitest'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { clearsign, codeOf, TEST_NOW, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

describe('attack: weak signing key', () => {
  describe('when an RSA-1024 primary key is pinned', () => {
    it('refuses to load it with PGP_WEAK_KEY', async () => {
      const k = await testKey('test-only-rsa1024')
      expect(
        await codeOf(
          loadKeyring([{ data: k.publicArmored, role: 'archive', name: 'weak', fingerprint: k.fingerprint }]),
        ),
      ).toBe('PGP_WEAK_KEY')
    })
  })

  describe('when a strong pinned key signs with its RSA-1024 subkey', () => {
    it('throws PGP_WEAK_KEY', async () => {
      const key = await testKey('test-only-weak-subkey')
      const ring = await testKeyring(['test-only-weak-subkey', 'archive'])
      const weakSub = key.secret.subkeys.find((s) => s.getAlgorithmInfo().algorithm === 'rsaEncryptSign')
      expect(weakSub?.getAlgorithmInfo().bits).toBe(1024)
      const doc = await clearsign('Origin: Test\n', key, { signingKeyIDs: [weakSub!.getKeyID()] })
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_WEAK_KEY',
      )
    })
  })
})
