import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { parseUsnApiNotice, parseUsnApiPage } from '../../../../main/core/advisories/usn-api'
import type { AdvisorySource } from '../../../../main/core/advisories/model'
import { fixture } from './advisory-test-kit'

const source: AdvisorySource = {
  channelId: 'ubuntu-com',
  channelType: 'usn-api',
  url: 'https://ubuntu.com/security/notices.json?offset=0&limit=20',
  fetchedAt: 7,
}
const PAGE = 'ubuntu/notices-api/notices_offset0_limit20.json'

function pageJson(): { notices: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(fixture(PAGE))) as { notices: Record<string, unknown>[] }
}

describe('parseUsnApiPage', () => {
  describe('when given the real notices.json page', () => {
    it('parses every notice with id, title, summary, details, CVEs, dates and packages', () => {
      const page = parseUsnApiPage(fixture(PAGE), source)
      expect(page.issues).toEqual([])
      expect(page.advisories.map((a) => a.id)).toEqual(['USN-1-1', 'USN-2-1'])
      const usn2 = page.advisories[1]
      expect(usn2?.title).toBe('xpdf vulnerabilities')
      expect(usn2?.summary).toBe('xpdf vulnerabilities')
      expect(usn2?.details).toMatch(/^Chris Evans discovered/)
      expect(usn2?.cves).toEqual(['CVE-2004-0889'])
      expect(usn2?.aliases).toEqual(['CVE-2004-0889', 'USN-14-1'])
      // The API writes UTC without a zone: 2004-10-23T02:11:46 is UTC, whatever the machine's zone.
      expect(usn2?.published).toBe(Date.UTC(2004, 9, 23, 2, 11, 46))
      expect(usn2?.mitigations).toEqual([
        'In general, a standard system update will make all the necessary changes.',
      ])
      expect(usn2?.releases).toEqual([
        {
          codename: 'warty',
          version: '4.10',
          pro: false,
          sources: [],
          binaries: [
            { name: 'cupsys', fixedVersion: undefined, pocket: undefined },
            { name: 'xpdf-utils', fixedVersion: undefined, pocket: undefined },
            { name: 'xpdf-reader', fixedVersion: undefined, pocket: undefined },
          ],
        },
      ])
      expect(usn2?.provenance).toEqual([source])
    })

    it('says where the next page starts', () => {
      const page = parseUsnApiPage(fixture(PAGE), source)
      expect(page).toMatchObject({ offset: 0, total: 21, nextOffset: 2 })
    })
  })

  describe('when one notice is malformed', () => {
    it('reports channel, record and field, and keeps the rest', () => {
      const json = pageJson()
      ;(json.notices[0] as Record<string, unknown>).release_packages = { warty: [{ name: 5 }] }
      const page = parseUsnApiPage(JSON.stringify(json), source)
      expect(page.advisories.map((a) => a.id)).toEqual(['USN-2-1'])
      expect(page.issues).toEqual([
        expect.objectContaining({
          channelId: 'ubuntu-com',
          record: 'USN-1-1',
          field: 'release_packages.warty.0.name',
          code: 'ADV_SCHEMA',
        }),
      ])
    })
  })

  describe('when a notice is hidden', () => {
    it('leaves it out', () => {
      const json = pageJson()
      ;(json.notices[1] as Record<string, unknown>).is_hidden = true
      expect(parseUsnApiPage(JSON.stringify(json), source).advisories.map((a) => a.id)).toEqual(['USN-1-1'])
    })
  })

  describe('when the document is not a page', () => {
    it('throws ADV_SCHEMA', () => {
      try {
        parseUsnApiPage('{"results": []}', source)
        expect.unreachable()
      } catch (e) {
        expect(isCoreError(e, 'ADV_SCHEMA')).toBe(true)
      }
    })
  })
})

describe('parseUsnApiNotice', () => {
  describe('when given one notice with sources, versions, ESM pockets and CVE priorities', () => {
    it('maps them into the model', () => {
      const notice = {
        ...pageJson().notices[0],
        id: 'USN-7000-1',
        cves: [
          { id: 'CVE-2024-45490', priority: 'medium' },
          { id: 'CVE-2024-45491', priority: 'high' },
        ],
        cves_ids: ['CVE-2024-45490', 'CVE-2024-45491'],
        references: ['https://ubuntu.com/security/notices/USN-7000-1'],
        release_packages: {
          xenial: [
            { name: 'expat', version: '2.1.0-7ubuntu0.16.04.5+esm9', is_source: true, pocket: 'esm-infra' },
            {
              name: 'libexpat1',
              version: '2.1.0-7ubuntu0.16.04.5+esm9',
              is_source: false,
              pocket: 'esm-infra',
            },
          ],
        },
        releases: [{ codename: 'xenial', version: '16.04' }],
      }
      const a = parseUsnApiNotice(JSON.stringify(notice), source)
      expect(a.priority).toBe('high')
      expect(a.releases).toEqual([
        {
          codename: 'xenial',
          version: '16.04',
          pro: true,
          sources: [{ name: 'expat', fixedVersion: '2.1.0-7ubuntu0.16.04.5+esm9' }],
          binaries: [{ name: 'libexpat1', fixedVersion: '2.1.0-7ubuntu0.16.04.5+esm9', pocket: 'esm-infra' }],
        },
      ])
      expect(a.references).toEqual([{ type: 'WEB', url: 'https://ubuntu.com/security/notices/USN-7000-1' }])
    })
  })

  describe('when published is not a date', () => {
    it('throws ADV_BAD_DATE with the record', () => {
      const notice = { ...pageJson().notices[0], published: 'yesterday' }
      try {
        parseUsnApiNotice(JSON.stringify(notice), source)
        expect.unreachable()
      } catch (e) {
        expect(isCoreError(e, 'ADV_BAD_DATE')).toBe(true)
        expect(isCoreError(e) && e.details).toMatchObject({ record: 'USN-1-1', field: 'published' })
      }
    })
  })
})
