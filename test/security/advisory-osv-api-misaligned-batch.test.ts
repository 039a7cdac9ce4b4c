/**
 * Attack: a querybatch answer with fewer (or more) results than queries. Results are matched to packages by
 * position only, so a shifted list would pin one package's advisories on another (or hide them). The whole answer
 * is refused with ADV_SCHEMA (field `results`); the channel keeps its last good copy.
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
        .end(JSON.stringify({ results: [{ vulns: [{ id: 'USN-7000-1' }] }] })),
    )
  })
})
afterAll(() => api.close())

describe('attack: querybatch answer shifted against its queries', () => {
  it('refuses the answer with ADV_SCHEMA', async () => {
    await expect(
      readOsvApiChannel(api.url, {
        fetcher: createFetcher(),
        now: NOW,
        channelId: 'osv-api',
        query: {
          ecosystem: 'Ubuntu:24.04:LTS',
          sources: [
            { name: 'expat', version: '2.6.1-2' },
            { name: 'linux', version: '6.8.0-40.40' },
          ],
          cves: [],
        },
        previous: [],
      }),
    ).rejects.toMatchObject({ code: 'ADV_SCHEMA', details: { field: 'results' } })
    expect(api.requests.map((r) => r.method)).toEqual(['POST'])
  })
})
