/**
 * Attack: a querybatch answer lists an "id" built to escape the vulns path (`../../v1/querybatch`,
 * `..%2f..%2fadmin`), so the client would request a URL the answer chose. Ids must look like advisory ids: the
 * answer is refused with ADV_SCHEMA and no second request is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOsvApiChannel } from '../../main/core/advisories/osv-api'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW } from '../unit/core/advisories/advisory-test-kit'

let api: LoopbackServer
beforeAll(async () => {
  api = await startLoopbackServer((req, res) => {
    req.resume()
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ results: [{ vulns: [{ id: '../../v1/querybatch' }] }] })),
    )
  })
})
afterAll(() => api.close())

describe('attack: a path-shaped id in the querybatch answer', () => {
  it('refuses the answer with ADV_SCHEMA before any other request', async () => {
    await expect(
      readOsvApiChannel(api.url, {
        fetcher: createFetcher(),
        now: NOW,
        channelId: 'osv-api',
        query: { ecosystem: 'Ubuntu:24.04:LTS', sources: [{ name: 'expat', version: '2.6.1-2' }], cves: [] },
        previous: [],
      }),
    ).rejects.toMatchObject({ code: 'ADV_SCHEMA' })
    expect(api.requests).toHaveLength(1)
  })
})
