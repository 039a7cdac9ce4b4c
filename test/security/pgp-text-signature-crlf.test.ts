/**
 * Attack: a file with a genuine text-mode detached signature is served with its LF line endings turned into CR LF.
 * A text-mode signature covers the text with CR LF line endings (RFC 9580 5.2.1.2), so it verifies both copies, and
 * gpgv accepts both; the bytes handed to the parser would then not be the bytes that were signed. Lifeline accepts
 * a text-mode detached signature only over data without CR LF: PGP_BAD_SIGNATURE.
 */
import * as openpgp from 'openpgp'
import { describe, expect, it } from 'vitest'
import { verifyDetached } from '../../main/core/pgp/verify'
import { codeOf, SIGNED_AT, TEST_NOW, testKey, testKeyring } from '../unit/core/pgp/pgp-test-kit'

const TEXT = 'Origin: Test\nSuite: noble-security\nDate: Sat, 01 Jun 2024 00:00:00 UTC\n'

/** What `gpg --textmode --detach-sign` makes: a type 0x01 (canonical text) detached signature. */
async function textModeSignature(): Promise<string> {
  const key = await testKey('test-only-archive-ed25519')
  return openpgp.sign({
    message: await openpgp.createMessage({ text: TEXT }),
    signingKeys: key.secret,
    detached: true,
    date: new Date(SIGNED_AT),
  })
}

describe('attack: line endings changed under a text-mode detached signature', () => {
  describe('when the signed LF file is served with CR LF line endings', () => {
    it('throws PGP_BAD_SIGNATURE', async () => {
      const sig = await textModeSignature()
      const pkt = (await openpgp.readSignature({ armoredSignature: sig })).packets[0]
      expect(pkt?.signatureType).toBe(openpgp.enums.signature.text)
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const crlf = new TextEncoder().encode(TEXT.replaceAll('\n', '\r\n'))
      expect(await codeOf(verifyDetached(crlf, sig, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_BAD_SIGNATURE',
      )
    })

    it('still verifies the file as signed, with LF line endings (the test can fail)', async () => {
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const lf = new TextEncoder().encode(TEXT)
      const v = await verifyDetached(lf, await textModeSignature(), ring, { role: 'archive', now: TEST_NOW })
      expect(new TextDecoder().decode(v.signedBytes)).toBe(TEXT)
    })
  })
})
