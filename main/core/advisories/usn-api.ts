/**
 * The ubuntu.com security notices JSON API (`/security/notices.json?offset=&limit=`, `/security/notices/<id>.json`)
 * into the advisory model.
 *
 * Fields as served by ubuntu-com-security-api: `id`, `title`, `summary`, `description`, `published` (UTC without a
 * zone), `cves_ids`, `cves[]`, `instructions`, `references`, `related_notices`, `release_packages` (codename →
 * packages with `is_source`, `name`, `version`, `pocket`), `releases[]` (`codename`, `version`), `is_hidden`.
 */
import { z } from 'zod'
import type { Advisory, AdvisorySource, BinaryFix, ChannelRecords, ReleaseFixes, SourceFix } from './model'
import { AdvisoryIdSchema } from './osv'
import {
  aliasesOf,
  collectRecords,
  cveIds,
  decodeJson,
  localSource,
  maxPriority,
  parseIsoTime,
  parseJsonRecord,
  parseRecord,
  recordName,
  schemaError,
  withSource,
  type JsonInput,
} from './parse-util'
import { versionOfCodename } from './releases'

const ApiPackage = z.looseObject({
  name: z.string().min(1).max(200),
  version: z.string().default(''),
  is_source: z.boolean().default(false),
  pocket: z.string().optional().nullable(),
  description: z.string().optional().nullable(),
})

/** One notice of the notices API (unknown fields pass). */
export const UsnApiNoticeSchema = z.looseObject({
  id: AdvisoryIdSchema,
  title: z.string().default(''),
  summary: z.string().default(''),
  description: z.string().default(''),
  published: z.string(),
  type: z.string().optional(),
  is_hidden: z.boolean().optional(),
  instructions: z.string().optional().nullable(),
  cves_ids: z.array(z.string()).default([]),
  cves: z
    .array(
      z.union([z.string(), z.looseObject({ id: z.string(), priority: z.string().optional().nullable() })]),
    )
    .default([]),
  references: z
    .array(z.union([z.string(), z.looseObject({ url: z.string(), type: z.string().optional() })]))
    .default([]),
  related_notices: z.array(z.union([z.string(), z.looseObject({ id: z.string() })])).default([]),
  release_packages: z.record(z.string(), z.array(ApiPackage)).default({}),
  releases: z.array(z.looseObject({ codename: z.string(), version: z.string().optional() })).default([]),
})

/** A page of `notices.json`. */
export const UsnApiPageSchema = z.looseObject({
  notices: z.array(z.unknown()),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().nonnegative().optional(),
  total_results: z.number().int().nonnegative().optional(),
})

type ApiNotice = z.output<typeof UsnApiNoticeSchema>

function apiToAdvisory(n: ApiNotice, source: AdvisorySource): Advisory {
  const versions = new Map(n.releases.map((r) => [r.codename, r.version]))
  const releases: ReleaseFixes[] = Object.entries(n.release_packages).map(([codename, pkgs]) => {
    const sources: SourceFix[] = []
    const binaries: BinaryFix[] = []
    for (const p of pkgs) {
      const fixedVersion = p.version.length > 0 ? p.version : undefined
      if (p.is_source) sources.push({ name: p.name, fixedVersion })
      else binaries.push({ name: p.name, fixedVersion, pocket: p.pocket ?? undefined })
    }
    const version = versions.get(codename) || versionOfCodename(codename)
    // The API puts ESM fixes under the release codename with an `esm-*` pocket.
    const pro = pkgs.some((p) => (p.pocket ?? '').startsWith('esm'))
    return { codename, version: version || undefined, pro, sources, binaries }
  })
  const cveObjects = n.cves.filter((c): c is Exclude<typeof c, string> => typeof c !== 'string')
  const related = n.related_notices.map((r) => (typeof r === 'string' ? r : r.id))
  const mitigations = n.instructions?.trim() ? [n.instructions.trim()] : []
  return withSource(
    {
      id: n.id,
      aliases: aliasesOf(n.id, [...n.cves_ids, ...related, ...cveObjects.map((c) => c.id)]),
      cves: cveIds(...n.cves_ids, ...n.cves.map((c) => (typeof c === 'string' ? c : c.id))),
      title: n.title || n.summary || n.id,
      summary: n.summary || n.title,
      details: n.description.trim(),
      priority: maxPriority(cveObjects.map((c) => c.priority ?? undefined)),
      published: parseIsoTime(n.published, 'published'),
      modified: undefined,
      releases,
      mitigations,
      references: n.references.map((r) =>
        typeof r === 'string' ? { type: 'WEB', url: r } : { type: r.type ?? 'WEB', url: r.url },
      ),
    },
    source,
  )
}

/** A notice the API marks hidden: left out, as ubuntu.com leaves it out. */
function isHidden(notice: unknown): boolean {
  return (
    typeof notice === 'object' && notice !== null && (notice as { is_hidden?: unknown }).is_hidden === true
  )
}

function parseNoticeValue(json: unknown, source: AdvisorySource, fallback: string): Advisory {
  return parseRecord(json, UsnApiNoticeSchema, source, fallback, apiToAdvisory)
}

/**
 * Parses `notices/<id>.json`: one notice. Throws ADV_TOO_LARGE, ADV_NOT_JSON, ADV_SCHEMA or ADV_BAD_DATE.
 */
export function parseUsnApiNotice(
  input: JsonInput,
  source: AdvisorySource = localSource('usn-api'),
): Advisory {
  return parseJsonRecord(input, UsnApiNoticeSchema, source, apiToAdvisory)
}

/** A parsed page: the records, the issues, and where the next page starts (undefined on the last page). */
export interface UsnApiPage extends ChannelRecords {
  readonly offset: number
  readonly total: number | undefined
  readonly nextOffset: number | undefined
}

/**
 * Parses a `notices.json` page. A malformed notice is reported (channel, record, field) and skipped; hidden
 * notices are left out. Throws only when the page itself is not a page.
 */
export function parseUsnApiPage(
  input: JsonInput,
  source: AdvisorySource = localSource('usn-api'),
): UsnApiPage {
  const json = decodeJson(input, source.url)
  const page = UsnApiPageSchema.safeParse(json)
  if (!page.success) throw schemaError(source.channelId, source.url, page.error)
  const { advisories, issues } = collectRecords(
    source.channelId,
    page.data.notices.map((notice, i) => ({ notice, fallback: `notices.${i}` })),
    ({ notice, fallback }) => (isHidden(notice) ? undefined : parseNoticeValue(notice, source, fallback)),
    ({ notice, fallback }) => recordName(notice, fallback),
  )
  const offset = page.data.offset ?? 0
  const total = page.data.total_results
  const next = offset + page.data.notices.length
  return {
    advisories,
    issues,
    offset,
    total,
    nextOffset: total !== undefined && next < total && page.data.notices.length > 0 ? next : undefined,
  }
}
