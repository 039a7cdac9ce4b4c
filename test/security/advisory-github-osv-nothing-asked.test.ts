/**
 * Attack (on the report's honesty): with OSV.dev unreachable, no saved copy and no CVE named by the archive, the
 * github-osv channel has no advisory id to look up, so it asks its host nothing. It used to report that as "read
 * now, 0 advisories": the check then said "1 of 3 advisory sources read" and the app said the raw-file host
 * "answered at the last check", though nothing was fetched (seen against the real archive with no internet). It is
 * now `not-read`, saying why, with its last good copy unchanged; as soon as there is an id, it asks again. The same
 * holds when every record's saved copy is recent enough to reuse: nothing asked, so no read now and no new date.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelConfig } from '../../main/core/model'
import { isChannelRead } from '../../main/core/check/predicates'
import { readChannels, type ChannelsState } from '../../main/core/engine/channels'
import { createKeyring } from '../../main/core/pgp/keyring'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { NOW, fixture } from '../unit/core/advisories/advisory-test-kit'

let raw: LoopbackServer
let channel: ChannelConfig

beforeAll(async () => {
  raw = await startLoopbackServer((req, res) => {
    if (req.url?.endsWith('/osv/usn/USN-7000-1.json'))
      res.writeHead(200, { 'content-type': 'text/plain' }).end(fixture('ubuntu/osv-usn/USN-7000-1.json'))
    else res.writeHead(404).end()
  })
  channel = { id: 'github-osv', name: 'Raw OSV files', type: 'github-osv', urls: [`${raw.url}/usn/main`] }
})
beforeEach(() => raw.resetStats())
afterAll(() => raw.close())

const read = (previous: ChannelsState | undefined, cves: readonly string[] = [], now = NOW) =>
  readChannels({
    channels: [channel],
    keyring: createKeyring([]),
    fetcher: createFetcher(),
    now,
    previous,
    query: { ecosystem: 'Ubuntu:24.04:LTS', sources: [], cves },
  })

describe('attack: a source that was asked nothing reported as read', () => {
  it('with no id to look up, nothing is asked and the channel is not-read, not "read now"', async () => {
    const r = await read(undefined)
    expect(raw.requests).toEqual([])
    const [status] = r.statuses
    expect(status?.state).toBe('not-read')
    expect(isChannelRead(status?.state ?? 'ok')).toBe(false)
    expect(status?.detail).toContain('Nothing to look up in this check')
    expect(status?.verifiedAt).toBeUndefined()
    expect(r.state.snapshots['github-osv']).toBeUndefined()
  })

  it('a saved copy recent enough to reuse is not a read either: not-read, its date kept, the records still there', async () => {
    const first = await read(undefined, ['USN-7000-1'])
    expect(first.statuses[0]?.state).toBe('ok')
    raw.resetStats()
    // An hour later the saved USN-7000-1 (undated: OSV.dev is not there to date it) is reused without asking.
    const reuse = await read(first.state, [], NOW + 3600_000)
    expect(raw.requests).toEqual([])
    expect(reuse.statuses[0]).toMatchObject({ state: 'not-read', verifiedAt: NOW, advisoryCount: 1 })
    expect(reuse.statuses[0]?.detail).toContain('recent enough to reuse')
    expect(reuse.state.snapshots['github-osv']).toEqual(first.state.snapshots['github-osv'])
    // A day later the copy is too old to reuse: the host is asked, and that is a read now.
    const later = await read(first.state, [], NOW + 25 * 3600_000)
    expect(raw.requests.map((q) => q.path)).toEqual(['/usn/main/osv/usn/USN-7000-1.json'])
    expect(later.statuses[0]).toMatchObject({ state: 'ok', verifiedAt: NOW + 25 * 3600_000 })
  })

  it('asks again as soon as the archive names a CVE', async () => {
    await read(undefined, ['CVE-2024-45490'])
    expect(raw.requests.map((q) => q.path)).toEqual(['/usn/main/osv/cve/2024/UBUNTU-CVE-2024-45490.json'])
  })
})
