/**
 * Attack: a frozen mirror keeps serving a signed index past its Valid-Until (a freeze attack: no new advisories
 * ever arrive). ADV_FEED_EXPIRED; an index dated in the future is ADV_FEED_DATE_IN_FUTURE.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatFeedIndex } from '../../main/core/advisories/feed-index'
import { readSignedFeed } from '../../main/core/advisories/signed-feed'
import { createFetcher } from '../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import {
  DAY,
  NOW,
  advisoryKeyring,
  clearsign,
  makeTestKey,
  writeSignedFeed,
} from '../unit/core/advisories/advisory-test-kit'

let dir: TempDir
beforeAll(async () => {
  dir = await makeTempDir('lifeline-attack-expired-')
})
afterAll(() => dir.cleanup())

describe('attack: expired index (freeze)', () => {
  describe('when Valid-Until has passed', () => {
    it('throws ADV_FEED_EXPIRED', async () => {
      const key = await makeTestKey('Helpdesk')
      await writeSignedFeed(dir.path, key, { now: NOW - 10 * DAY, validForMs: 7 * DAY })
      await expect(
        readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
          fetcher: createFetcher(),
          keyring: await advisoryKeyring(key),
          now: NOW,
        }),
      ).rejects.toMatchObject({ code: 'ADV_FEED_EXPIRED' })
    })
  })

  describe('when the signature itself is made after now', () => {
    it('throws PGP_NOT_YET_VALID', async () => {
      const key = await makeTestKey('Helpdesk')
      await writeSignedFeed(dir.path, key, { now: NOW - DAY })
      await expect(
        readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
          fetcher: createFetcher(),
          keyring: await advisoryKeyring(key),
          now: NOW - 2 * DAY,
        }),
      ).rejects.toMatchObject({ code: 'PGP_NOT_YET_VALID' })
    })
  })

  describe('when the index Date is in the future under a present signature (pre-dated to outlive a freeze)', () => {
    it('throws ADV_FEED_DATE_IN_FUTURE', async () => {
      const key = await makeTestKey('Helpdesk')
      const built = await writeSignedFeed(dir.path, key, { now: NOW - DAY })
      const text = formatFeedIndex({ ...built.index, date: NOW + DAY, validUntil: NOW + 8 * DAY })
      await writeFile(join(dir.path, 'index.asc'), await clearsign(text, key, new Date(NOW - DAY)))
      await expect(
        readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
          fetcher: createFetcher(),
          keyring: await advisoryKeyring(key),
          now: NOW,
        }),
      ).rejects.toMatchObject({ code: 'ADV_FEED_DATE_IN_FUTURE' })
    })
  })
})
