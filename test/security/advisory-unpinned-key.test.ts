/**
 * Attack: someone publishes a well-formed feed signed with their own key (the "rotated key" scam). The key is not
 * pinned for the advisory role: PGP_UNKNOWN_SIGNER, and nothing of the feed is read. A pinned ARCHIVE key cannot
 * sign advisories either (PGP_WRONG_ROLE).
 */
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSignedFeed } from '../../main/core/advisories/signed-feed'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { createFetcher } from '../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { NOW, advisoryKeyring, makeTestKey, writeSignedFeed } from '../unit/core/advisories/advisory-test-kit'

let dir: TempDir
beforeAll(async () => {
  dir = await makeTempDir('lifeline-attack-unpinned-')
})
afterAll(() => dir.cleanup())

describe('attack: index signed by an unpinned key', () => {
  describe('when the signer is not in the keyring', () => {
    it('throws PGP_UNKNOWN_SIGNER', async () => {
      const pinned = await makeTestKey('Helpdesk')
      const attacker = await makeTestKey('Ubuntu Security (new key!)')
      await writeSignedFeed(dir.path, attacker)
      await expect(
        readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
          fetcher: createFetcher(),
          keyring: await advisoryKeyring(pinned),
          now: NOW,
        }),
      ).rejects.toMatchObject({ code: 'PGP_UNKNOWN_SIGNER' })
    })
  })

  describe('when the signer is pinned only for the archive role', () => {
    it('throws PGP_WRONG_ROLE', async () => {
      const archiveKey = await makeTestKey('Archive')
      await writeSignedFeed(dir.path, archiveKey)
      const keyring = await loadKeyring([
        { data: archiveKey.armoredPublic, role: 'archive', name: 'archive' },
      ])
      await expect(
        readSignedFeed(pathToFileURL(`${dir.path}/`).href, { fetcher: createFetcher(), keyring, now: NOW }),
      ).rejects.toMatchObject({ code: 'PGP_WRONG_ROLE' })
    })
  })
})
