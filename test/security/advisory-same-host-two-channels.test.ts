/**
 * Attack: one server (a compromised mirror host, or a look-alike configured twice) serves the same forged notice in
 * two formats, as an `osv-api` answer and as a `github-osv` file, hoping two channel types count as two witnesses.
 * Independence is by host (docs/trust.md, "Which copies count as independent"): the notice stays `single-source`.
 */
import { describe, expect, it } from 'vitest'
import { mergeAdvisories } from '../../main/core/advisories/merge'
import { parseOsvUsn } from '../../main/core/advisories/osv'
import { NOW, fixture } from '../unit/core/advisories/advisory-test-kit'

const body = fixture('ubuntu/osv-usn/USN-7000-1.json')
const copy = (channelId: string, channelType: 'osv-api' | 'github-osv', url: string) =>
  parseOsvUsn(body, { channelId, channelType, url, fetchedAt: NOW })

describe('attack: one host, two channel types', () => {
  it('stays single-source', () => {
    const a = copy('osv-api', 'osv-api', 'https://evil.example/v1/vulns/USN-7000-1')
    const b = copy('github-osv', 'github-osv', 'https://evil.example/osv/usn/USN-7000-1.json')
    expect(mergeAdvisories([[a], [b]])[0]?.trust).toBe('single-source')
  })
  it('is corroborated when two hosts serve it (control)', () => {
    const a = copy('osv-api', 'osv-api', 'https://api.osv.dev/v1/vulns/USN-7000-1')
    const b = copy('github-osv', 'github-osv', 'https://raw.githubusercontent.com/x/osv/usn/USN-7000-1.json')
    expect(mergeAdvisories([[a], [b]])[0]?.trust).toBe('corroborated')
  })
})
