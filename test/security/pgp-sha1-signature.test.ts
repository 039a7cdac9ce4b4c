/**
 * Attack: a SHA-1 signature (chosen-prefix collisions are practical: SHAmbles, 2020) lets an attacker move a
 * signature onto a colliding document. SHA-1 (and MD5, RIPEMD-160) message signatures are refused: PGP_WEAK_HASH.
 */
import * as openpgp from 'openpgp'
import { describe, expect, it } from 'vitest'
import { verifyCleartext, verifyDetached } from '../../main/core/pgp/verify'
import {
  armorSignature,
  assembleCleartext,
  codeOf,
  signWithHash,
  TEST_NOW,
  testKey,
  testKeyring,
} from '../unit/core/pgp/pgp-test-kit'

describe('attack: SHA-1 signature by a pinned key', () => {
  describe('when a clearsigned document uses SHA-1', () => {
    it('throws PGP_WEAK_HASH', async () => {
      const key = await testKey('test-only-rsa3072')
      const ring = await testKeyring(['test-only-rsa3072', 'archive'])
      const text = 'Origin: Test\nSuite: test'
      const doc = assembleCleartext(text, [await signWithHash(text, key, openpgp.enums.hash.sha1)])
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_WEAK_HASH',
      )
      // The same construction with SHA-256 verifies, so the refusal is about the hash (the test can fail).
      const good = assembleCleartext(text, [await signWithHash(text, key, openpgp.enums.hash.sha256)])
      expect((await verifyCleartext(good, ring, { role: 'archive', now: TEST_NOW })).signedText).toBe(text)
    })
  })

  describe('when a detached signature uses SHA-1', () => {
    it('throws PGP_WEAK_HASH', async () => {
      const key = await testKey('test-only-rsa3072')
      const ring = await testKeyring(['test-only-rsa3072', 'archive'])
      const data = new TextEncoder().encode('Origin: Test\n')
      const sig = armorSignature([await signWithHash(data, key, openpgp.enums.hash.sha1)])
      expect(await codeOf(verifyDetached(data, sig, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_WEAK_HASH',
      )
      const good = armorSignature([await signWithHash(data, key, openpgp.enums.hash.sha256)])
      expect(
        (await verifyDetached(data, good, ring, { role: 'archive', now: TEST_NOW })).signers,
      ).toHaveLength(1)
    })
  })
})
