/**
 * Attack: the OSV.dev API host (or whoever sits on its path) answers `GET /v1/vulns/USN-8160-1` with another
 * record, e.g. an old notice that names an older "fixed" kernel, hoping it is filed under the id that was asked for.
 * The record's own id differs from the one requested: it is refused with ADV_ID_MISMATCH and kept under neither id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOsvApiChannel } from '../../main/core/advisories/osv-api'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW, fixture } from '../unit/core/advisories/advisory-test-kit'

let api: LoopbackServer
beforeAll(async () => {
  api = await startLoopbackServer((req, res) => {
    if (req.method === 'POST') {
      req.resume()
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ results: [{ vulns: [{ id: 'USN-8160-1' }] }] })),
      )
      return
    }
    // Whatever id is asked for, the host answers with USN-7000-1.
    res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('ubuntu/osv-usn/USN-7000-1.json'))
  })
})
afterAll(() => api.close())

describe('attack: OSV.dev answers a vulns request with another record', () => {
  it('refuses it with ADV_ID_MISMATCH and keeps no record', async () => {
    const r = await readOsvApiChannel(api.url, {
      fetcher: createFetcher(),
      now: NOW,
      channelId: 'osv-api',
      query: {
        ecosystem: 'Ubuntu:24.04:LTS',
        sources: [{ name: 'linux', version: '6.8.0-40.40' }],
        cves: [],
      },
      previous: [],
    })
    expect(r.advisories).toEqual([])
    expect(r.issues.map((i) => [i.record, i.code, i.field])).toEqual([
      ['USN-8160-1', 'ADV_ID_MISMATCH', 'id'],
    ])
  })
})
