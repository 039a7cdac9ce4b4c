/**
 * Attack: a key trusted only to sign advisories (e.g. a helpdesk key) is used to sign apt metadata, or an archive
 * key to sign an advisory. Keys are trusted per role (docs/trust.md, "1. Pinned keys"): PGP_WRONG_ROLE.
 */
import { describe, expect, it } from 'vitest'
import { verifyCleartext } from '../../main/core/pgp/verify'
import {
  clearsign,
  codeOf,
  fixtureText,
  REAL_INRELEASES,
  TEST_NOW,
  testKey,
  testKeyring,
  ubuntuKeyring,
} from '../unit/core/pgp/pgp-test-kit'

describe('attack: signature by a pinned key of another role', () => {
  describe('when an advisory key signs a Release', () => {
    it('throws PGP_WRONG_ROLE', async () => {
      const key = await testKey('test-only-advisory-ed25519')
      const ring = await testKeyring(
        ['test-only-advisory-ed25519', 'advisory'],
        ['test-only-archive-ed25519', 'archive'],
      )
      const doc = await clearsign('Origin: Ubuntu\nSuite: noble-security\n', key)
      expect(await codeOf(verifyCleartext(doc, ring, { role: 'archive', now: TEST_NOW }))).toBe(
        'PGP_WRONG_ROLE',
      )
      // The same document is fine where the advisory role is asked for (the test can fail).
      expect((await verifyCleartext(doc, ring, { role: 'advisory', now: TEST_NOW })).signers).toHaveLength(1)
    })
  })

  describe('when a real archive-signed InRelease is offered as an advisory', () => {
    it('throws PGP_WRONG_ROLE', async () => {
      const f = REAL_INRELEASES[0]!
      expect(
        await codeOf(
          verifyCleartext(fixtureText(f.file), await ubuntuKeyring(), { role: 'advisory', now: f.now }),
        ),
      ).toBe('PGP_WRONG_ROLE')
    })
  })
})
