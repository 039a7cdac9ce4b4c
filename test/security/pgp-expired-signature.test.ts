/**
 * Attack: a document whose signature carries a Signature Expiration Time (RFC 9580 5.2.3.18) is replayed after
 * that time, with a key that is still valid. It must be refused with its own code, PGP_SIGNATURE_EXPIRED: telling
 * the user "the key expired" would send them to check (and perhaps replace) a key that is fine.
 */
import * as openpgp from 'openpgp'
import { describe, expect, it } from 'vitest'
import { verifyCleartext, verifyDetached } from '../../main/core/pgp/verify'
import { codeOf, SIGNED_AT, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

const DAY = 24 * 3600_000
const TEXT = 'Origin: Test\nSuite: noble-security'

/** A signature packet of `type` over `text`, made at SIGNED_AT and valid for one day. */
async function expiringSignature(type: openpgp.enums.signature, text: string): Promise<string> {
  const key = await testKey('test-only-archive-ed25519')
  const signing = await key.secret.getSigningKey(undefined, new Date(SIGNED_AT))
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) })
  const literal = message.packets[0]
  const packet = new openpgp.SignaturePacket()
  packet.signatureType = type
  packet.publicKeyAlgorithm = signing.keyPacket.algorithm
  packet.hashAlgorithm = openpgp.enums.hash.sha512
  packet.signatureExpirationTime = DAY / 1000
  packet.signatureNeverExpires = false
  // openpgp.js's typings leave out the config argument its implementation reads.
  const sign = packet.sign as unknown as (...args: unknown[]) => Promise<void>
  await sign.call(packet, signing.keyPacket, literal, new Date(SIGNED_AT), true, openpgp.config)
  const list = new openpgp.PacketList<openpgp.SignaturePacket>()
  list.push(packet)
  return new openpgp.Signature(list).armor()
}

describe('attack: replay after the signature expired', () => {
  describe('when a detached signature valid for one day is checked a week later', () => {
    it('throws PGP_SIGNATURE_EXPIRED, not PGP_KEY_EXPIRED', async () => {
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const sig = await expiringSignature(openpgp.enums.signature.binary, TEXT)
      const data = new TextEncoder().encode(TEXT)
      expect(
        await codeOf(verifyDetached(data, sig, ring, { role: 'archive', now: SIGNED_AT + 7 * DAY })),
      ).toBe('PGP_SIGNATURE_EXPIRED')
    })

    it('verifies within its day (the test can fail)', async () => {
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const sig = await expiringSignature(openpgp.enums.signature.binary, TEXT)
      const v = await verifyDetached(new TextEncoder().encode(TEXT), sig, ring, {
        role: 'archive',
        now: SIGNED_AT + DAY / 2,
      })
      expect(v.signers).toHaveLength(1)
    })
  })

  describe('when a clearsigned document with a one-day signature is checked a week later', () => {
    it('throws PGP_SIGNATURE_EXPIRED', async () => {
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      // The cleartext framework hashes the lines joined with CR LF.
      const sig = await expiringSignature(openpgp.enums.signature.text, TEXT.replaceAll('\n', '\r\n'))
      const doc = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${TEXT}\n${sig}`
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: SIGNED_AT + 7 * DAY }))).toBe(
        'PGP_SIGNATURE_EXPIRED',
      )
      const ok = await verifyCleartext(doc, ring, { role: 'archive', now: SIGNED_AT + DAY / 2 })
      expect(ok.signedText).toBe(TEXT)
    })
  })
})
