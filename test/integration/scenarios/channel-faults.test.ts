/**
 * Every advisory-channel fault of the outage lab, through the real channel readers over real sockets: the right
 * code, the other channels unaffected, nothing unverified shown as signed, and the channel's last good state kept
 * (applyChannelRead) when a read fails (docs/trust.md, "6. When a channel fails").
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { applyChannelRead } from '../../../main/core/advisories/channel-state'
import type { ChannelSnapshot } from '../../../main/core/advisories/channel-state'
import { readMboxChannel } from '../../../main/core/advisories/mbox'
import { mergeAdvisories } from '../../../main/core/advisories/merge'
import type { ChannelRecords } from '../../../main/core/advisories/model'
import { readSignedFeed } from '../../../main/core/advisories/signed-feed'
import type { SignedFeedRead } from '../../../main/core/advisories/signed-feed'
import { readOsvChannel, readUsnApiChannel } from '../../../main/core/advisories/unsigned-channels'
import { CoreError, type ErrorCode } from '../../../main/core/errors'
import { Limits } from '../../../main/core/limits'
import { EXPAT_FIXED } from '../../../main/lab/archive'
import type { FaultName } from '../../../main/lab/faults'
import { startLab } from '../../../main/lab/lab'
import type { Lab } from '../../../main/lab/lab'
import { quickFetcher } from './lab-kit'

let lab: Lab
let feedBaseline: SignedFeedRead
let passed = 0

const channelUrls = (id: string): readonly string[] => lab.channels.find((c) => c.id === id)?.urls ?? []
const readFeed = (previous?: SignedFeedRead['highWater']) =>
  readSignedFeed(channelUrls('lab-helpdesk-feed')[0] ?? '', {
    keyring: lab.keyring,
    fetcher: quickFetcher,
    now: lab.now,
    previous,
    channelId: 'lab-helpdesk-feed',
  })
const readOsv = () =>
  readOsvChannel(channelUrls('lab-osv'), { fetcher: quickFetcher, now: lab.now, channelId: 'lab-osv' })
const readApi = () =>
  readUsnApiChannel(channelUrls('lab-notices-api')[0] ?? '', {
    fetcher: quickFetcher,
    now: lab.now,
    channelId: 'lab-notices-api',
  })
async function readMbox(): Promise<ChannelRecords> {
  const url = channelUrls('lab-announce')[0] ?? ''
  const res = await quickFetcher({
    url,
    maxBytes: Limits.advisories.mboxBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    allowHttp: true,
  })
  return readMboxChannel(res.body, { keyring: lab.keyring, now: lab.now, channelId: 'lab-announce', url })
}
async function codeOf(p: Promise<unknown>): Promise<ErrorCode | 'resolved'> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError)
    return (e as CoreError).code
  }
}
const noblePkgVersions = (r: ChannelRecords, id: string) =>
  r.advisories
    .filter((a) => a.id === id)
    .flatMap((a) =>
      a.releases.filter((x) => x.codename === 'noble').flatMap((x) => x.binaries.map((b) => b.fixedVersion)),
    )

beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
  feedBaseline = await readFeed()
})
afterEach(async () => {
  await lab.setScenario('calm')
})
afterAll(async () => {
  console.log(`[scenarios] channel faults: ${passed} scenario(s) passed`)
  await lab.close()
})

describe('outage lab channels', () => {
  describe('when every channel is up', () => {
    it('reads the signed feed, the OSV copy, the notices API and the signed announcement', async () => {
      expect(feedBaseline.signedBy).toBe(lab.keys.advisory.fingerprint)
      expect(feedBaseline.advisories.map((a) => a.id).sort()).toEqual([
        'USN-6100-1',
        'USN-7000-1',
        'USN-7095-1',
        'USN-7500-1',
      ])
      expect(feedBaseline.issues).toEqual([])
      const osv = await readOsv()
      expect(osv.advisories).toHaveLength(4)
      expect(osv.advisories.every((a) => a.provenance[0]?.signedBy === undefined)).toBe(true)
      const api = await readApi()
      expect(api.advisories.length).toBeGreaterThan(0)
      const mbox = await readMbox()
      expect(mbox.advisories.map((a) => a.id)).toEqual(['USN-7000-1'])
      expect(mbox.advisories[0]?.provenance[0]?.signedBy).toBe(lab.keys.advisory.fingerprint)
      // The fake fix in the archive is unsigned: reported, never read as a notice.
      expect(mbox.issues.map((i) => i.code)).toEqual(['ADV_MAIL_UNSIGNED'])
      const merged = mergeAdvisories([feedBaseline.advisories, osv, mbox]).find((a) => a.id === 'USN-7000-1')
      expect(merged?.trust).toBe('signed')
      expect(merged?.conflicts).toEqual([])
      passed++
    })
  })

  const feedCases: readonly [FaultName, ErrorCode][] = [
    ['down', 'NET_UNREACHABLE'],
    ['refused', 'NET_UNREACHABLE'],
    ['slow', 'NET_TOO_SLOW'],
    ['stalled', 'NET_TOO_SLOW'],
    ['stale', 'ADV_FEED_EXPIRED'],
    ['frozen', 'ADV_FEED_EXPIRED'],
    ['rolled-back', 'ADV_FEED_ROLLBACK'],
    ['tampered-signature', 'PGP_BAD_SIGNATURE'],
    ['oversized', 'NET_TOO_LARGE'],
    ['endless', 'NET_TOO_LARGE'],
    ['redirect-loop', 'NET_REDIRECT_LIMIT'],
  ]
  for (const [fault, code] of feedCases) {
    describe(`when the signed feed is ${fault}`, () => {
      it(`fails with ${code}, keeps the last good snapshot, and leaves the OSV channel alone`, async () => {
        await lab.setFault('helpdesk-feed', fault)
        const got = await codeOf(readFeed(feedBaseline.highWater))
        expect(got).toBe(code)
        const prev: ChannelSnapshot = applyChannelRead('lab-helpdesk-feed', undefined, {
          ok: true,
          at: lab.now - 1000,
          records: { advisories: feedBaseline.advisories, issues: feedBaseline.issues },
        })
        const after = applyChannelRead('lab-helpdesk-feed', prev, {
          ok: false,
          at: lab.now,
          code,
          message: got,
        })
        expect(after.advisories).toEqual(feedBaseline.advisories)
        expect(after.verifiedAt).toBe(lab.now - 1000)
        expect(after.lastError?.code).toBe(code)
        expect((await readOsv()).advisories).toHaveLength(4)
        passed++
      })
    })
  }

  describe('when a feed file does not match the signed index (wrong-index-hash)', () => {
    it('drops that file with ADV_HASH_MISMATCH and keeps the files that verified', async () => {
      await lab.setFault('helpdesk-feed', 'wrong-index-hash')
      const r = await readFeed(feedBaseline.highWater)
      expect(r.issues.map((i) => i.code)).toEqual(['ADV_HASH_MISMATCH'])
      expect(r.advisories).toHaveLength(3)
      passed++
    })
  })

  describe('when the OSV copy claims another fixed version (conflicting-advisory)', () => {
    it('keeps the signed copy in force and records the conflict with both claims', async () => {
      await lab.setFault('osv', 'conflicting-advisory')
      const osv = await readOsv()
      expect(noblePkgVersions(osv, 'USN-7000-1')).toContain('2.6.1-2ubuntu0.9')
      const merged = mergeAdvisories([feedBaseline.advisories, osv]).find((a) => a.id === 'USN-7000-1')
      // An unsigned copy cannot outvote a signed one (merge.ts); the disagreement is still shown.
      expect(merged?.trust).toBe('signed')
      expect(noblePkgVersions({ advisories: merged ? [merged] : [], issues: [] }, 'USN-7000-1')).toContain(
        EXPAT_FIXED,
      )
      const claims = merged?.conflicts.flatMap((c) => c.claims.map((x) => x.fixedVersion)) ?? []
      expect(claims).toEqual(expect.arrayContaining([EXPAT_FIXED, '2.6.1-2ubuntu0.9']))
      passed++
    })
  })

  describe('when the signed feed itself carries a conflicting fix (conflicting-advisory)', () => {
    it('verifies the feed (it is signed) yet makes it a conflict with the signed announcement', async () => {
      await lab.setFault('helpdesk-feed', 'conflicting-advisory')
      const feed = await readFeed(feedBaseline.highWater)
      expect(feed.signedBy).toBe(lab.keys.advisory.fingerprint)
      const merged = mergeAdvisories([feed.advisories, await readMbox()]).find((a) => a.id === 'USN-7000-1')
      expect(merged?.trust).toBe('conflict')
      passed++
    })
  })

  describe('when the announcement mbox is tampered with', () => {
    it('reports PGP_BAD_SIGNATURE for the notice and reads nothing from it', async () => {
      await lab.setFault('announce', 'tampered-signature')
      const r = await readMbox()
      expect(r.advisories).toEqual([])
      expect(r.issues.map((i) => i.code).sort()).toEqual(['ADV_MAIL_UNSIGNED', 'PGP_BAD_SIGNATURE'])
      passed++
    })
  })

  describe('when the signed announcement disagrees with the signed feed (conflicting-advisory)', () => {
    it('shows a conflict', async () => {
      await lab.setFault('announce', 'conflicting-advisory')
      const merged = mergeAdvisories([await readMbox(), feedBaseline.advisories]).find(
        (a) => a.id === 'USN-7000-1',
      )
      expect(merged?.trust).toBe('conflict')
      passed++
    })
  })

  const unsignedCases: readonly [FaultName, readonly string[]][] = [
    ['down', ['NET_UNREACHABLE']],
    ['refused', ['NET_UNREACHABLE']],
    // Unsigned content gets transport integrity only: plain http off loopback is refused before connecting.
    ['redirect-to-http', ['NET_BAD_URL']],
    ['redirect-loop', ['NET_REDIRECT_LIMIT']],
    ['endless', ['NET_TOO_LARGE']],
  ]
  for (const [fault, codes] of unsignedCases) {
    describe(`when the notices API and the OSV copy are ${fault}`, () => {
      it(`reports ${codes.join('|')} as issues, no advisory, and the signed feed still reads`, async () => {
        await lab.setFault('notices-api', fault)
        await lab.setFault('osv', fault)
        const api = await readApi()
        const osv = await readOsv()
        expect(api.advisories).toEqual([])
        expect(osv.advisories).toEqual([])
        for (const i of [...api.issues, ...osv.issues]) expect(codes).toContain(i.code)
        expect(osv.issues).toHaveLength(4)
        expect((await readFeed(feedBaseline.highWater)).advisories).toHaveLength(4)
        passed++
      })
    })
  }
})
