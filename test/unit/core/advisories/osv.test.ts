import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { Limits } from '../../../../main/core/limits'
import { parseOsvDocuments, parseOsvUsn } from '../../../../main/core/advisories/osv'
import type { AdvisorySource } from '../../../../main/core/advisories/model'
import { OSV_FIXTURES, fixture } from './advisory-test-kit'

const source: AdvisorySource = {
  channelId: 'osv-github',
  channelType: 'osv',
  url: 'https://raw.githubusercontent.com/canonical/ubuntu-security-notices/main/osv/usn/USN-7000-1.json',
  fetchedAt: 1_000,
}

function catchCode(fn: () => unknown): { code: string; details: Record<string, unknown> } {
  try {
    fn()
  } catch (e) {
    if (isCoreError(e)) return { code: e.code, details: { ...e.details } }
    throw e
  }
  throw new Error('did not throw')
}

function osvJson(path: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(fixture(path))) as Record<string, unknown>
}

describe('parseOsvUsn', () => {
  describe('when given each real OSV fixture', () => {
    it.each(OSV_FIXTURES)('parses %s into the model without losing fields', (path) => {
      const raw = osvJson(path) as {
        id: string
        summary?: string
        affected: { package: { name: string }; ecosystem_specific?: { binaries?: unknown[] } }[]
        references: unknown[]
        modified: string
      }
      const a = parseOsvUsn(fixture(path), source)
      expect(a.id).toBe(raw.id)
      expect(a.title).toBe(raw.summary ?? raw.id)
      expect(a.details.length).toBeGreaterThan(20)
      expect(a.modified).toBe(Date.parse(raw.modified))
      expect(a.published).toBeTypeOf('number')
      expect(a.references).toHaveLength(raw.references.length)
      // Every affected source package and every binary survive, each with a fixed version.
      const sources = a.releases.flatMap((r) => r.sources)
      expect(sources.map((s) => s.name).sort()).toEqual(raw.affected.map((x) => x.package.name).sort())
      expect(sources.every((s) => typeof s.fixedVersion === 'string')).toBe(true)
      const binCount = raw.affected.reduce((n, x) => n + (x.ecosystem_specific?.binaries?.length ?? 0), 0)
      expect(a.releases.flatMap((r) => r.binaries)).toHaveLength(binCount)
      expect(a.provenance).toEqual([source])
      expect(a.trust).toBe('single-source')
      expect(a.cves.length).toBeGreaterThan(0)
    })
  })

  describe('when the notice covers Ubuntu Pro releases (USN-7000-1)', () => {
    it('maps ecosystems to codenames, keeps Pro apart, fixed versions, priority and CVEs', () => {
      const a = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7000-1.json'), source)
      expect(a.releases.map((r) => `${r.codename}${r.pro ? '+pro' : ''}`)).toEqual([
        'trusty+pro',
        'xenial+pro',
        'bionic+pro',
        'focal',
        'noble',
      ])
      const noble = a.releases.find((r) => r.codename === 'noble')
      expect(noble?.version).toBe('24.04')
      expect(noble?.sources).toEqual([
        { name: 'expat', fixedVersion: '2.6.1-2ubuntu0.1', availability: 'No subscription required' },
      ])
      expect(noble?.binaries).toContainEqual({
        name: 'libexpat1',
        fixedVersion: '2.6.1-2ubuntu0.1',
        source: 'expat',
      })
      expect(a.cves).toEqual(['CVE-2024-45490', 'CVE-2024-45491', 'CVE-2024-45492'])
      expect(a.aliases).toContain('UBUNTU-CVE-2024-45490')
      expect(a.priority).toBe('medium')
      expect(a.published).toBe(Date.UTC(2024, 8, 12, 10, 1, 43))
    })
  })

  describe('when one release has several source packages (USN-7095-1)', () => {
    it('groups them under one release entry', () => {
      const a = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7095-1.json'), source)
      const noble = a.releases.filter((r) => r.codename === 'noble')
      expect(noble).toHaveLength(1)
      expect(noble[0]?.sources.map((s) => s.name)).toEqual(['linux-nvidia', 'linux-nvidia-lowlatency'])
    })
  })

  describe('when the record is an Ubuntu CVE record with ubuntu_priority', () => {
    it('reads the priority and the CVE from related', () => {
      const a = parseOsvUsn(fixture('ubuntu/osv-other/UBUNTU-CVE-2024-51988.json'), source)
      expect(a.cves).toEqual(['CVE-2024-51988'])
      expect(a.priority).toBe('medium')
      expect(a.releases.map((r) => r.codename)).toEqual(['focal', 'jammy', 'oracular', 'noble'])
    })
  })

  describe('when a required field is missing', () => {
    it('throws ADV_SCHEMA naming channel, record and field', () => {
      const json = osvJson('ubuntu/osv-usn/USN-7500-1.json')
      delete json.modified
      const e = catchCode(() => parseOsvUsn(JSON.stringify(json), source))
      expect(e.code).toBe('ADV_SCHEMA')
      expect(e.details).toMatchObject({ channel: 'osv-github', record: 'USN-7500-1', field: 'modified' })
    })
  })

  describe('when a fixed-version field has the wrong type', () => {
    it('throws ADV_SCHEMA with the nested field path', () => {
      const json = osvJson('ubuntu/osv-usn/USN-7500-1.json') as { affected: { ranges: unknown }[] }
      ;(json.affected[0] as { ranges: unknown }).ranges = [{ type: 'ECOSYSTEM', events: [{ fixed: 7 }] }]
      const e = catchCode(() => parseOsvUsn(JSON.stringify(json), source))
      expect(e.code).toBe('ADV_SCHEMA')
      expect(e.details.field).toBe('affected.0.ranges.0.events.0.fixed')
    })
  })

  describe('when the ecosystem is not an Ubuntu release', () => {
    it('throws ADV_SCHEMA on the ecosystem field', () => {
      const json = osvJson('ubuntu/osv-usn/USN-7500-1.json') as {
        affected: { package: { ecosystem: string; purl?: string } }[]
      }
      const pkg = json.affected[0]?.package
      if (pkg) {
        pkg.ecosystem = 'Debian:12'
        delete pkg.purl
      }
      const e = catchCode(() => parseOsvUsn(JSON.stringify(json), source))
      expect(e).toMatchObject({ code: 'ADV_SCHEMA', details: { field: 'affected.0.package.ecosystem' } })
    })
  })

  describe('when the id could be a path', () => {
    it('throws ADV_SCHEMA on id', () => {
      const json = osvJson('ubuntu/osv-usn/USN-7500-1.json')
      json.id = '../../etc/passwd'
      expect(catchCode(() => parseOsvUsn(JSON.stringify(json), source))).toMatchObject({
        code: 'ADV_SCHEMA',
        details: { field: 'id' },
      })
    })
  })

  describe('when the document is over the advisory size cap', () => {
    it('throws ADV_TOO_LARGE before parsing', () => {
      const big = new Uint8Array(Limits.size.advisoryBytes + 1).fill(0x20)
      expect(catchCode(() => parseOsvUsn(big, source)).code).toBe('ADV_TOO_LARGE')
    })
  })

  describe('when the document is not JSON', () => {
    it('throws ADV_NOT_JSON', () => {
      expect(catchCode(() => parseOsvUsn('{"id": ', source)).code).toBe('ADV_NOT_JSON')
      expect(catchCode(() => parseOsvUsn(new Uint8Array([0xff, 0xfe, 0x7b]), source)).code).toBe(
        'ADV_NOT_JSON',
      )
    })
  })

  describe('when a date is impossible', () => {
    it('throws ADV_BAD_DATE', () => {
      const json = osvJson('ubuntu/osv-usn/USN-7500-1.json')
      json.modified = '2025-02-31T00:00:00Z'
      expect(catchCode(() => parseOsvUsn(JSON.stringify(json), source)).code).toBe('ADV_BAD_DATE')
    })
  })
})

describe('parseOsvDocuments', () => {
  describe('when one document of the channel is malformed', () => {
    it('reports it with channel, record and field, and keeps the others', () => {
      const bad = osvJson('ubuntu/osv-usn/USN-6100-1.json')
      bad.affected = []
      const r = parseOsvDocuments(
        [
          { url: 'https://h.example/osv/USN-7000-1.json', data: fixture('ubuntu/osv-usn/USN-7000-1.json') },
          { url: 'https://h.example/osv/USN-6100-1.json', data: JSON.stringify(bad) },
          { url: 'https://h.example/osv/USN-7500-1.json', data: fixture('ubuntu/osv-usn/USN-7500-1.json') },
        ],
        { channelId: 'osv-mirror', channelType: 'osv', fetchedAt: 5 },
      )
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-7000-1', 'USN-7500-1'])
      expect(r.issues).toEqual([
        expect.objectContaining({
          channelId: 'osv-mirror',
          record: 'USN-6100-1',
          field: 'affected',
          code: 'ADV_SCHEMA',
        }),
      ])
      expect(r.advisories[1]?.provenance[0]?.url).toBe('https://h.example/osv/USN-7500-1.json')
    })
  })
})
