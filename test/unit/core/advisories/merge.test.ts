import { describe, expect, it } from 'vitest'
import { independent, markArchiveConfirmed, mergeAdvisories } from '../../../../main/core/advisories/merge'
import type { Advisory, AdvisorySource } from '../../../../main/core/advisories/model'
import { parseOsvUsn } from '../../../../main/core/advisories/osv'
import { fixture } from './advisory-test-kit'

const FILE = 'ubuntu/osv-usn/USN-7000-1.json'

function src(
  channelId: string,
  channelType: AdvisorySource['channelType'],
  url: string,
  signedBy?: string,
): AdvisorySource {
  return { channelId, channelType, url, fetchedAt: 1, signedBy }
}

/** USN-7000-1 as read from `source`, optionally with noble's expat fix replaced. */
function copy(source: AdvisorySource, nobleVersion?: string): Advisory {
  const json = JSON.parse(new TextDecoder().decode(fixture(FILE))) as {
    affected: { package: { ecosystem: string }; ranges: { events: Record<string, string>[] }[] }[]
  }
  if (nobleVersion) {
    const noble = json.affected.find((a) => a.package.ecosystem === 'Ubuntu:24.04:LTS')
    if (noble)
      noble.ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: nobleVersion }] }] as never
  }
  return parseOsvUsn(JSON.stringify(json), source)
}

const github = src(
  'osv-github',
  'osv',
  'https://raw.githubusercontent.com/canonical/ubuntu-security-notices/main/osv/usn/USN-7000-1.json',
)
const mirror = src('osv-mirror', 'osv', 'https://osv.example.org/osv/usn/USN-7000-1.json')
const githubAgain = src(
  'osv-github-2',
  'osv',
  'https://raw.githubusercontent.com/someone/copy/main/USN-7000-1.json',
)
const api = src('ubuntu-com', 'usn-api', 'https://ubuntu.com/security/notices/USN-7000-1.json')
const feed = src('helpdesk', 'signed-feed', 'https://feed.example.org/osv/USN-7000-1.json', 'A'.repeat(40))
const feed2 = src(
  'helpdesk-2',
  'signed-feed',
  'https://feed2.example.org/osv/USN-7000-1.json',
  'B'.repeat(40),
)

describe('independent', () => {
  describe('when channel types differ on the same host', () => {
    it('is false: one server writes both formats', () =>
      expect(independent(github, { ...api, url: github.url })).toBe(false))
  })
  describe('when the hosts differ', () => {
    it('is true, whatever the channel types', () => expect(independent(github, api)).toBe(true))
  })
  describe('when the type and host are the same', () => {
    it('is false', () => expect(independent(github, githubAgain)).toBe(false))
  })
  describe('when two file: channels of one type', () => {
    it('is false (one local source)', () =>
      expect(independent(src('a', 'osv', 'file:///a/x.json'), src('b', 'osv', 'file:///b/x.json'))).toBe(
        false,
      ))
  })
})

describe('mergeAdvisories', () => {
  describe('when one unsigned channel has the advisory', () => {
    it('is single-source', () => {
      const [m] = mergeAdvisories([[copy(github)]])
      expect(m?.trust).toBe('single-source')
      expect(m?.conflicts).toEqual([])
    })
  })

  describe('when two independent unsigned channels (different hosts) agree', () => {
    it('is corroborated, with both sources in provenance', () => {
      const out = mergeAdvisories([[copy(github)], [copy(mirror)]])
      expect(out).toHaveLength(1)
      expect(out[0]?.trust).toBe('corroborated')
      expect(out[0]?.provenance.map((p) => p.channelId).sort()).toEqual(['osv-github', 'osv-mirror'])
    })
  })

  describe('when two channels of the same type on the same host agree', () => {
    it('stays single-source: they are not independent', () => {
      expect(mergeAdvisories([[copy(github)], [copy(githubAgain)]])[0]?.trust).toBe('single-source')
    })
  })

  describe('when two independent channels disagree on a fixed version', () => {
    it('is a conflict keeping both claims with their sources', () => {
      const [m] = mergeAdvisories([[copy(github)], [copy(api, '2.6.1-2ubuntu0.9')]])
      expect(m?.trust).toBe('conflict')
      expect(m?.conflicts).toEqual([
        {
          codename: 'noble',
          pro: false,
          kind: 'source',
          packageName: 'expat',
          claims: expect.arrayContaining([
            { fixedVersion: '2.6.1-2ubuntu0.1', sources: [github] },
            { fixedVersion: '2.6.1-2ubuntu0.9', sources: [api] },
          ]),
        },
      ])
    })
  })

  describe('when a signed copy and an unsigned copy disagree', () => {
    it('stays signed, shows the signed text, and still lists the disagreement', () => {
      const [m] = mergeAdvisories([[copy(github, '9.9-evil')], [copy(feed)]])
      expect(m?.trust).toBe('signed')
      expect(m?.provenance[0]).toEqual(feed)
      expect(m?.releases.find((r) => r.codename === 'noble')?.sources[0]?.fixedVersion).toBe(
        '2.6.1-2ubuntu0.1',
      )
      expect(m?.conflicts).toHaveLength(1)
    })
  })

  describe('when two signed copies disagree', () => {
    it('is a conflict', () => {
      expect(mergeAdvisories([[copy(feed)], [copy(feed2, '2.6.1-2ubuntu0.2')]])[0]?.trust).toBe('conflict')
    })
  })

  describe('when versions differ only by a zero epoch', () => {
    it('treats them as the same version', () => {
      expect(mergeAdvisories([[copy(github)], [copy(api, '0:2.6.1-2ubuntu0.1')]])[0]?.trust).toBe(
        'corroborated',
      )
    })
  })

  describe('when different ids are merged', () => {
    it('keeps one entry per id, newest first', () => {
      const other = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7500-1.json'), github)
      expect(mergeAdvisories([[copy(github), other]]).map((a) => a.id)).toEqual(['USN-7500-1', 'USN-7000-1'])
    })
  })
})

describe('markArchiveConfirmed', () => {
  describe('when the advisory is single-source', () => {
    it('raises it to archive-confirmed', () => {
      expect(markArchiveConfirmed(copy(github)).trust).toBe('archive-confirmed')
    })
  })
  describe('when the advisory is signed or in conflict', () => {
    it('leaves it unchanged', () => {
      expect(markArchiveConfirmed(copy(feed)).trust).toBe('signed')
      const [c] = mergeAdvisories([[copy(github)], [copy(api, '1')]])
      expect(c && markArchiveConfirmed(c).trust).toBe('conflict')
    })
  })
})
