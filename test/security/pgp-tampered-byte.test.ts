/**
 * Attack: a mirror changes one byte of a signed Release (a hash, a version, a Date) and keeps the signature.
 * A pinned key's signature that does not match fails the whole document: PGP_BAD_SIGNATURE.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import {
  codeOf,
  debianKeyring,
  fixtureText,
  REAL_INRELEASES,
  ubuntuKeyring,
} from '../unit/core/pgp/pgp-test-kit'

describe('attack: one byte of the signed text changed', () => {
  for (const f of REAL_INRELEASES) {
    describe(`when the first SHA256 digit of ${f.file} changes`, () => {
      it('throws PGP_BAD_SIGNATURE', async () => {
        const doc = fixtureText(f.file)
        const at = doc.indexOf('SHA256:\n ') + 9
        const tampered = doc.slice(0, at) + (doc[at] === '0' ? '1' : '0') + doc.slice(at + 1)
        const ring = f.distro === 'ubuntu' ? await ubuntuKeyring() : await debianKeyring()
        expect(await codeOf(verifyCleartext(tampered, ring, { role: 'archive', now: f.now }))).toBe(
          'PGP_BAD_SIGNATURE',
        )
      })
    })
  }

  describe('when the Date line of a real InRelease is moved forward', () => {
    it('throws PGP_BAD_SIGNATURE', async () => {
      const f = REAL_INRELEASES[0]!
      const doc = fixtureText(f.file).replace('Date: Thu, 25 Apr 2024', 'Date: Thu, 25 Apr 2025')
      expect(await codeOf(verifyCleartext(doc, await ubuntuKeyring(), { role: 'archive', now: f.now }))).toBe(
        'PGP_BAD_SIGNATURE',
      )
    })
  })
})
