/**
 * Attack: the OSV.dev API answers the querybatch POST with a 307 redirect to another host, which would receive the
 * list of installed packages (a privacy leak to a host nobody configured) and could answer for the API. A POST is
 * never redirected: it fails with NET_HTTP_STATUS and the other host receives nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOsvApiChannel } from '../../main/core/advisories/osv-api'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW } from '../unit/core/advisories/advisory-test-kit'

let api: LoopbackServer
let elsewhere: LoopbackServer
beforeAll(async () => {
  elsewhere = await startLoopbackServer((_req, res) => res.writeHead(200).end('{"results":[{}]}'))
  api = await startLoopbackServer((_req, res) =>
    res.writeHead(307, { location: `${elsewhere.url}/v1/querybatch`, 'content-length': 0 }).end(),
  )
})
afterAll(async () => {
  await api.close()
  await elsewhere.close()
})

describe('attack: querybatch POST redirected to another host', () => {
  it('fails with NET_HTTP_STATUS and sends nothing to the other host', async () => {
    await expect(
      readOsvApiChannel(api.url, {
        fetcher: createFetcher(),
        now: NOW,
        channelId: 'osv-api',
        query: { ecosystem: 'Ubuntu:24.04:LTS', sources: [{ name: 'expat', version: '2.6.1-2' }], cves: [] },
        previous: [],
      }),
    ).rejects.toMatchObject({ code: 'NET_HTTP_STATUS' })
    expect(elsewhere.requests).toEqual([])
  })
})
