import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { parseUsnDb } from '../../../../main/core/advisories/usn-db'
import { fixture } from './advisory-test-kit'

const DB = 'ubuntu/usn-db/database-excerpt.json'
type Raw = Record<
  string,
  { releases: Record<string, { sources: object; allbinaries?: object; binaries: object }> }
>

describe('parseUsnDb', () => {
  describe('when given the real database.json excerpt', () => {
    it('parses every notice without losing releases, sources or binaries', () => {
      const raw = JSON.parse(new TextDecoder().decode(fixture(DB))) as Raw
      const r = parseUsnDb(fixture(DB))
      expect(r.issues).toEqual([])
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-4011-1', 'USN-2274-1', 'USN-6342-1'])
      for (const a of r.advisories) {
        const rawN = raw[a.id.slice(4)]
        expect(rawN).toBeDefined()
        expect(a.releases.map((x) => x.codename)).toEqual(Object.keys(rawN?.releases ?? {}))
        for (const rel of a.releases) {
          const rr = rawN?.releases[rel.codename]
          expect(rel.sources).toHaveLength(Object.keys(rr?.sources ?? {}).length)
          expect(rel.binaries).toHaveLength(Object.keys(rr?.allbinaries ?? rr?.binaries ?? {}).length)
        }
      }
    })

    it('maps USN-4011-1 fields', () => {
      const a = parseUsnDb(fixture(DB)).advisories[0]
      expect(a).toMatchObject({
        id: 'USN-4011-1',
        title: 'Jinja2 vulnerabilities',
        summary: 'Several security issues were fixed in Jinja2.',
        cves: ['CVE-2016-10745', 'CVE-2019-10906'],
        published: 1559819644967,
        mitigations: ['In general, a standard system update will make all the necessary changes.'],
      })
      const xenial = a?.releases.find((r) => r.codename === 'xenial')
      expect(xenial).toMatchObject({ version: '16.04', pro: false })
      expect(xenial?.sources).toEqual([{ name: 'jinja2', fixedVersion: '2.8-1ubuntu0.1' }])
      expect(xenial?.binaries).toContainEqual({
        name: 'python3-jinja2',
        fixedVersion: '2.8-1ubuntu0.1',
        source: undefined,
        pocket: 'security',
      })
    })

    it('marks esm-infra fixes as Pro and keeps binary→source links (USN-6342-1)', () => {
      const a = parseUsnDb(fixture(DB)).advisories[2]
      const bionic = a?.releases.find((r) => r.codename === 'bionic')
      expect(bionic?.pro).toBe(true)
      expect(bionic?.binaries).toContainEqual(
        expect.objectContaining({
          name: 'linux-tools-common',
          source: 'linux',
          fixedVersion: '4.15.0-216.227',
        }),
      )
    })
  })

  describe('when one notice is malformed', () => {
    it('reports it and keeps the others', () => {
      const raw = JSON.parse(new TextDecoder().decode(fixture(DB))) as Record<string, Record<string, unknown>>
      delete raw['2274-1']?.timestamp
      const r = parseUsnDb(JSON.stringify(raw))
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-4011-1', 'USN-6342-1'])
      expect(r.issues).toEqual([
        expect.objectContaining({
          record: '2274-1',
          field: 'timestamp',
          code: 'ADV_SCHEMA',
          channelId: 'usn-db',
        }),
      ])
    })
  })

  describe('when the document is an array', () => {
    it('throws ADV_SCHEMA', () => {
      try {
        parseUsnDb('[]')
        expect.unreachable()
      } catch (e) {
        expect(isCoreError(e, 'ADV_SCHEMA')).toBe(true)
      }
    })
  })
})
