/**
 * OSV JSON of Ubuntu Security Notices, as published in canonical/ubuntu-security-notices (`osv/usn/*.json`,
 * `osv/cve/**.json`), into the advisory model.
 *
 * OSV schema 1.6/1.7 (https://ossf.github.io/osv-schema/). Ubuntu specifics: `affected[].package.ecosystem` is
 * `Ubuntu:<version>[:LTS]` or `Ubuntu:Pro:<version>:LTS`, the purl carries `distro=<codename>[/esm]`, fixed
 * versions are `ECOSYSTEM` range `fixed` events, binaries are in `ecosystem_specific.binaries`.
 */
import { z } from 'zod'
import { CoreError } from '../errors'
import type { Advisory, AdvisorySource, BinaryFix, ChannelRecords, ReleaseFixes, SourceFix } from './model'
import {
  aliasesOf,
  collectRecords,
  cveIds,
  localSource,
  maxPriority,
  parseIsoTime,
  parseJsonRecord,
  withSource,
  type JsonInput,
} from './parse-util'
import { codenameOfVersion, versionOfCodename } from './releases'

/** Advisory ids are used in file names and URLs: letters, digits and `-._:` only. */
export const AdvisoryIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not an advisory id')

const Severity = z.looseObject({ type: z.string(), score: z.string() })

const Affected = z.looseObject({
  package: z.looseObject({
    ecosystem: z.string().min(1),
    name: z.string().min(1).max(200),
    purl: z.string().optional(),
  }),
  ranges: z
    .array(
      z.looseObject({
        type: z.string(),
        events: z.array(z.record(z.string(), z.string())),
      }),
    )
    .default([]),
  ecosystem_specific: z
    .looseObject({
      binaries: z
        .array(z.looseObject({ binary_name: z.string().min(1), binary_version: z.string().min(1) }))
        .default([]),
      availability: z.string().optional(),
      ubuntu_priority: z.string().optional(),
    })
    .optional(),
  database_specific: z
    .looseObject({
      cves_map: z
        .looseObject({
          cves: z
            .array(z.looseObject({ id: z.string(), severity: z.array(Severity).default([]) }))
            .default([]),
        })
        .optional(),
    })
    .optional(),
})

/** The subset of an OSV record Lifeline reads (unknown fields pass). */
export const OsvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: AdvisoryIdSchema,
  summary: z.string().optional(),
  details: z.string().default(''),
  aliases: z.array(z.string()).default([]),
  upstream: z.array(z.string()).default([]),
  related: z.array(z.string()).default([]),
  published: z.string().optional(),
  modified: z.string(),
  severity: z.array(Severity).optional(),
  affected: z.array(Affected).min(1),
  references: z.array(z.looseObject({ type: z.string(), url: z.string() })).default([]),
})

/** A parsed OSV record, as the schema outputs it. */
export type OsvRecord = z.output<typeof OsvRecordSchema>

/** Where an `Ubuntu:...` ecosystem (or, failing that, the purl's `distro=`) puts the fix. */
function releaseOf(
  ecosystem: string,
  purl: string | undefined,
  field: string,
): { codename: string; version: string | undefined; pro: boolean } {
  const parts = ecosystem.split(':')
  if (parts[0] !== 'Ubuntu') {
    throw new CoreError('ADV_SCHEMA', `${field}: not an Ubuntu ecosystem: ${ecosystem}`, {
      field,
    })
  }
  const pro = parts.includes('Pro')
  const version = parts.find((p) => /^\d+\.\d+$/.test(p))
  let codename = version ? codenameOfVersion(version) : undefined
  if (!codename && purl) {
    // pkg:deb/ubuntu/expat@2.1.0?arch=source&distro=esm-infra/xenial | distro=trusty/esm
    const distro = /[?&]distro=([^&#]+)/.exec(purl)?.[1]
    const named = distro
      ?.split('/')
      .map((p) => p.toLowerCase())
      .find((p) => versionOfCodename(p) !== undefined)
    if (named) codename = named
  }
  if (!codename) {
    throw new CoreError('ADV_SCHEMA', `${field}: unknown Ubuntu release: ${ecosystem}`, {
      field,
    })
  }
  return { codename, version: version ?? versionOfCodename(codename), pro }
}

/** The last `fixed` event of the ECOSYSTEM ranges, if any. */
function fixedOf(ranges: OsvRecord['affected'][number]['ranges']): string | undefined {
  let fixed: string | undefined
  for (const r of ranges) {
    if (r.type !== 'ECOSYSTEM') continue
    for (const e of r.events) if (e.fixed !== undefined) fixed = e.fixed
  }
  return fixed
}

/** Builds the model from a schema-valid OSV record. */
export function osvToAdvisory(rec: OsvRecord, source: AdvisorySource): Advisory {
  const releases = new Map<
    string,
    {
      codename: string
      version: string | undefined
      pro: boolean
      sources: SourceFix[]
      binaries: BinaryFix[]
    }
  >()
  const priorities: (string | undefined)[] = []
  const cvesFromMap: string[] = []
  rec.affected.forEach((a, i) => {
    const rel = releaseOf(a.package.ecosystem, a.package.purl, `affected.${i}.package.ecosystem`)
    const key = `${rel.codename}${rel.pro ? ':pro' : ''}`
    let entry = releases.get(key)
    if (!entry) {
      entry = { ...rel, sources: [], binaries: [] }
      releases.set(key, entry)
    }
    entry.sources.push({
      name: a.package.name,
      fixedVersion: fixedOf(a.ranges),
      availability: a.ecosystem_specific?.availability,
    })
    for (const b of a.ecosystem_specific?.binaries ?? []) {
      entry.binaries.push({ name: b.binary_name, fixedVersion: b.binary_version, source: a.package.name })
    }
    priorities.push(a.ecosystem_specific?.ubuntu_priority)
    for (const c of a.database_specific?.cves_map?.cves ?? []) {
      cvesFromMap.push(c.id)
      for (const s of c.severity) if (s.type === 'Ubuntu') priorities.push(s.score)
    }
  })
  const published = rec.published !== undefined ? parseIsoTime(rec.published, 'published') : undefined
  const modified = parseIsoTime(rec.modified, 'modified')
  const title = rec.summary ?? rec.id
  return withSource(
    {
      id: rec.id,
      aliases: aliasesOf(rec.id, [...rec.aliases, ...rec.upstream, ...rec.related]),
      cves: cveIds(rec.id, ...rec.aliases, ...rec.upstream, ...rec.related, ...cvesFromMap, rec.details),
      title,
      summary: rec.summary ?? firstParagraph(rec.details),
      details: rec.details.trim(),
      priority: maxPriority(priorities),
      published,
      modified,
      releases: [...releases.values()] satisfies ReleaseFixes[],
      mitigations: [],
      references: rec.references.map((r) => ({ type: r.type, url: r.url })),
    },
    source,
  )
}

/** The first paragraph of a text, on one line. */
export function firstParagraph(text: string): string {
  const para = text.trim().split(/\n\s*\n/)[0] ?? ''
  return para.replace(/\s+/g, ' ').trim()
}

/**
 * Parses one OSV JSON document of an Ubuntu advisory (USN or Ubuntu CVE record).
 *
 * Throws ADV_TOO_LARGE (over Limits.size.advisoryBytes), ADV_NOT_JSON, ADV_SCHEMA (details: channel, record,
 * field) or ADV_BAD_DATE.
 */
export function parseOsvUsn(input: JsonInput, source: AdvisorySource = localSource('osv')): Advisory {
  return parseJsonRecord(input, OsvRecordSchema, source, osvToAdvisory)
}

/**
 * Parses many OSV documents of one channel; a bad one becomes a RecordIssue and the rest still count.
 */
export function parseOsvDocuments(
  docs: readonly { readonly url: string; readonly data: JsonInput }[],
  source: Omit<AdvisorySource, 'url'>,
): ChannelRecords {
  return collectRecords(
    source.channelId,
    docs,
    (d) => parseOsvUsn(d.data, { ...source, url: d.url }),
    (d, e) => (e instanceof CoreError && typeof e.details.record === 'string' ? e.details.record : d.url),
  )
}
