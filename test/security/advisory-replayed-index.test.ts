/**
 * Attack: a mirror (or a man in the middle of an http mirror) replays an older, genuinely signed index to hide a
 * newer advisory. The index's Serial is below the high-water mark kept from the last accepted read:
 * ADV_FEED_ROLLBACK.
 */
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSignedFeed } from '../../main/core/advisories/signed-feed'
import { createFetcher } from '../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import {
  DAY,
  NOW,
  advisoryKeyring,
  makeTestKey,
  writeSignedFeed,
} from '../unit/core/advisories/advisory-test-kit'

let dir: TempDir
beforeAll(async () => {
  dir = await makeTempDir('lifeline-attack-replay-')
})
afterAll(() => dir.cleanup())

describe('attack: replayed older index', () => {
  describe('when the served index has a lower serial than the one already accepted', () => {
    it('throws ADV_FEED_ROLLBACK', async () => {
      const key = await makeTestKey('Helpdesk')
      const keyring = await advisoryKeyring(key)
      const url = pathToFileURL(`${dir.path}/`).href
      await writeSignedFeed(dir.path, key, { serial: 5, now: NOW - DAY })
      const accepted = await readSignedFeed(url, { fetcher: createFetcher(), keyring, now: NOW })
      // The attacker puts back serial 4, still within its validity and correctly signed.
      await writeSignedFeed(dir.path, key, { serial: 4, now: NOW - 2 * DAY })
      await expect(
        readSignedFeed(url, { fetcher: createFetcher(), keyring, now: NOW, previous: accepted.highWater }),
      ).rejects.toMatchObject({ code: 'ADV_FEED_ROLLBACK' })
    })
  })
})
