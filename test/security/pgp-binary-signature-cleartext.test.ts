/**
 * Attack: a binary-type (0x00) signature, made over a file for another purpose (a detached signature of some CR LF
 * file), is framed as a clearsigned document around that file's text. A clearsigned document hashes its text with
 * CR LF line endings, so the binary signature matches those bytes too. RFC 9580 7 says a cleartext signature is a
 * text signature (0x01): anything else is refused with PGP_MALFORMED.
 */
import * as openpgp from 'openpgp'
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { clearsign, codeOf, detachSign, TEST_NOW, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

const LINES = ['Package: sudo', 'Version: 1.9.15p5-3ubuntu5.24.04.1', 'Priority: required']

describe('attack: binary signature framed as a clearsigned document', () => {
  describe('when a detached binary signature over the CR LF text is put in a cleartext frame', () => {
    it('throws PGP_MALFORMED', async () => {
      const key = await testKey('test-only-advisory-ed25519')
      const ring = await testKeyring(['test-only-advisory-ed25519', 'advisory'])
      // Exactly the bytes the cleartext framework hashes: lines joined with CR LF, no final line ending.
      const signed = new TextEncoder().encode(LINES.join('\r\n'))
      const armor = (await detachSign(signed, key)) as string
      const pkt = (await openpgp.readSignature({ armoredSignature: armor })).packets[0]
      expect(pkt?.signatureType).toBe(openpgp.enums.signature.binary)
      const doc = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${LINES.join('\n')}\n${armor}`
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'advisory', now: TEST_NOW }))).toBe(
        'PGP_MALFORMED',
      )
    })

    it('verifies the same text clearsigned with a text signature (the test can fail)', async () => {
      const key = await testKey('test-only-advisory-ed25519')
      const ring = await testKeyring(['test-only-advisory-ed25519', 'advisory'])
      const v = await verifyCleartext(await clearsign(LINES.join('\n'), key), ring, {
        role: 'advisory',
        now: TEST_NOW,
      })
      expect(v.signedText).toBe(LINES.join('\n'))
    })
  })
})
