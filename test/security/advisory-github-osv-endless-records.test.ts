/**
 * Attack: a raw-file host answers every record with a body that never ends, hoping the client downloads up to the
 * per-document cap for each of the hundreds of ids it reads (gigabytes per check). The first capped download
 * (NET_TOO_LARGE) ends the channel's read: only the few requests already in flight are made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readGithubOsvChannel } from '../../main/core/advisories/github-osv'
import { Limits } from '../../main/core/limits'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW } from '../unit/core/advisories/advisory-test-kit'

let raw: LoopbackServer
const chunk = Buffer.alloc(64 * 1024, 0x41)
beforeAll(async () => {
  raw = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk)) {
        // keep writing until the socket pushes back
      }
      if (!res.destroyed) res.once('drain', pump)
    }
    pump()
  })
})
afterAll(() => raw.close())

describe('attack: endless bodies for every record', () => {
  it('stops at the first NET_TOO_LARGE instead of downloading every id', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `USN-${7000 + i}-1`)
    await expect(
      readGithubOsvChannel(raw.url, {
        fetcher: createFetcher(),
        now: NOW,
        channelId: 'gh',
        ids,
        previous: [],
      }),
    ).rejects.toMatchObject({ code: 'NET_TOO_LARGE' })
    expect(raw.requests.length).toBeLessThanOrEqual(Limits.advisories.osvConcurrency)
  })
})
