/**
 * Attack: the raw-file host serves another notice at `osv/usn/USN-8160-1.json` (a renamed old file), so that the
 * github-osv copy "agrees" with a forged OSV.dev answer or overrides the real notice. The file's own id differs
 * from its path's: it is refused with ADV_ID_MISMATCH and never counts as a copy of either notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readGithubOsvChannel } from '../../main/core/advisories/github-osv'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW, fixture } from '../unit/core/advisories/advisory-test-kit'

let raw: LoopbackServer
beforeAll(async () => {
  raw = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(fixture('ubuntu/osv-usn/USN-7000-1.json'))
  })
})
afterAll(() => raw.close())

describe('attack: a renamed notice on the raw-file host', () => {
  it('refuses it with ADV_ID_MISMATCH', async () => {
    const r = await readGithubOsvChannel(`${raw.url}/canonical/ubuntu-security-notices/main`, {
      fetcher: createFetcher(),
      now: NOW,
      channelId: 'github-osv',
      ids: ['USN-8160-1'],
      previous: [],
    })
    expect(r.advisories).toEqual([])
    expect(r.issues.map((i) => [i.record, i.code])).toEqual([['USN-8160-1', 'ADV_ID_MISMATCH']])
    expect(raw.requests.map((q) => q.path)).toEqual([
      '/canonical/ubuntu-security-notices/main/osv/usn/USN-8160-1.json',
    ])
  })
})
