/**
 * Attack: secret key material written inside a public key block, where the armor decoder never reads it.
 *
 * openpgp.js's `unarmor` ends the data at the `=XXXX` checksum line or at any `-----…-----` line, and drops what
 * follows up to the END line. A PUBLIC KEY BLOCK with a private key's base64 pasted after its checksum, or after a
 * line like `-----X-----`, loaded as the genuine public key alone: the "ship public keys only" check and the pinned
 * fingerprint check both looked only at what was decoded, so the file was accepted while it carried a secret key
 * (and, in general, bytes no check ever saw). Now the inside of every block must be armor as RFC 9580 writes it
 * (headers, a blank line, base64, an optional checksum), or the file is PGP_MALFORMED.
 */
import { describe, expect, it } from 'vitest'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { codeOf, fixtureText, UBUNTU_2018 } from '../unit/core/pgp/pgp-test-kit'

// Ubuntu's real key file, as shipped: headers-free armor with a checksum line.
const PUBLIC = fixtureText('ubuntu/keys/ubuntu-keyring-2018-archive.asc')
const SECRET = fixtureText('keys/test-only-archive-ed25519.sec.asc')
const END = '-----END PGP PUBLIC KEY BLOCK-----'
/** The base64 lines of the secret key block (no BEGIN/END, headers or checksum). */
const secretData = SECRET.split('\n')
  .filter((l) => /^[A-Za-z0-9+/]+={0,2}$/.test(l.trim()))
  .join('\n')

const load = (data: string) =>
  loadKeyring([{ data, role: 'archive', name: 'org.asc', fingerprint: UBUNTU_2018 }])

describe('attack: data inside a public key block that the armor decoder skips', () => {
  describe("when a secret key's base64 follows the checksum line", () => {
    it('throws PGP_MALFORMED (it would never be read)', async () => {
      const p = load(PUBLIC.replace(END, `${secretData}\n${END}`))
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
      await expect(p).rejects.toThrow(/holds text after its data ends/)
    })
  })

  describe("when a secret key's base64 follows an inner -----X----- line", () => {
    it('throws PGP_MALFORMED', async () => {
      const p = load(PUBLIC.replace(END, `-----X-----\n${secretData}\n${END}`))
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
    })
  })

  describe('when padding appears before the last data line (the decoder stops at the first "=")', () => {
    it('throws PGP_MALFORMED', async () => {
      const lines = PUBLIC.split('\n')
      const at = lines.findIndex((l) => /^[A-Za-z0-9+/]{64}$/.test(l))
      lines.splice(at + 1, 0, 'AAAA==')
      expect(await codeOf(load(lines.join('\n')))).toBe('PGP_MALFORMED')
    })
  })

  describe('when the genuine file is written with CR LF, trailing spaces or armor headers', () => {
    it('still loads the pinned key', async () => {
      for (const text of [
        PUBLIC.replace(/\n/g, '\r\n'),
        PUBLIC.replace(/\n/g, '  \n'),
        PUBLIC.replace('BLOCK-----\n', 'BLOCK-----\nComment: Ubuntu Archive Automatic Signing Key (2018)\n'),
      ]) {
        const ring = await load(text)
        expect(ring.keys.map((k) => k.fingerprint)).toEqual([UBUNTU_2018])
      }
    })
  })
})
