/**
 * Attack: a fake copy of a notice, on an unsigned channel, names a different "fixed" version (pointing users at a
 * planted package). Two unsigned channels disagreeing on a fixed version make the advisory a `conflict`, both
 * claims kept and shown; it is never `corroborated`. A signed copy keeps it `signed`.
 */
import { describe, expect, it } from 'vitest'
import { mergeAdvisories } from '../../main/core/advisories/merge'
import { parseOsvUsn } from '../../main/core/advisories/osv'
import { parseUsnApiNotice } from '../../main/core/advisories/usn-api'
import { fixture } from '../unit/core/advisories/advisory-test-kit'

const osv = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7500-1.json'), {
  channelId: 'osv-github',
  channelType: 'osv',
  url: 'https://raw.githubusercontent.com/canonical/ubuntu-security-notices/main/osv/usn/USN-7500-1.json',
  fetchedAt: 1,
})

function apiCopy(fixed: string) {
  return parseUsnApiNotice(
    JSON.stringify({
      id: 'USN-7500-1',
      title: 'linux-azure vulnerabilities',
      published: '2025-05-07T09:21:51',
      release_packages: { noble: [{ name: 'linux-azure', version: fixed, is_source: true }] },
    }),
    {
      channelId: 'fake-mirror',
      channelType: 'usn-api',
      url: 'https://ubuntu-security.example/notices/USN-7500-1.json',
      fetchedAt: 2,
    },
  )
}

describe('attack: two channels disagreeing on a fixed version', () => {
  describe('when an unsigned copy claims another fixed version', () => {
    it('makes the advisory a conflict with both claims kept', () => {
      const [m] = mergeAdvisories([[osv], [apiCopy('6.8.0-1099.1')]])
      expect(m?.trust).toBe('conflict')
      expect(m?.conflicts).toHaveLength(1)
      expect(m?.conflicts[0]?.claims.map((c) => [c.fixedVersion, c.sources.map((s) => s.channelId)])).toEqual(
        expect.arrayContaining([
          ['6.8.0-1028.33', ['osv-github']],
          ['6.8.0-1099.1', ['fake-mirror']],
        ]),
      )
    })
  })

  describe('when the copies agree', () => {
    it('is corroborated (control)', () => {
      expect(mergeAdvisories([[osv], [apiCopy('6.8.0-1028.33')]])[0]?.trust).toBe('corroborated')
    })
  })
})
