/**
 * The retired usn-db `database.json` (an object of notices keyed by `NNNN-N`) into the advisory model.
 *
 * Per notice: `id` (without the `USN-` prefix), `title`, `summary` (package list), `isummary` (one sentence),
 * `description`, `action` (update instructions), `cves` (CVE ids and, in old notices, bug URLs), `timestamp`
 * (epoch seconds), `releases.<codename>.{sources, binaries, allbinaries}` (name → `version`, `pocket`, `source`).
 */
import { z } from 'zod'
import { CoreError } from '../errors'
import type { Advisory, AdvisorySource, BinaryFix, ChannelRecords, ReleaseFixes } from './model'
import {
  collectRecords,
  cveIds,
  decodeJson,
  localSource,
  schemaError,
  uniqueSorted,
  withSource,
  type JsonInput,
} from './parse-util'
import { versionOfCodename } from './releases'

const Pkg = z.looseObject({
  version: z.string().min(1),
  pocket: z.string().optional(),
  source: z.string().optional(),
})

/** One usn-db notice (unknown fields pass). */
export const UsnDbNoticeSchema = z.looseObject({
  id: z.string().regex(/^\d+-\d+$/, 'not a usn-db id (NNNN-N)'),
  title: z.string().default(''),
  summary: z.string().default(''),
  isummary: z.string().optional(),
  description: z.string().default(''),
  action: z.string().optional(),
  cves: z.array(z.string()).default([]),
  timestamp: z.number().positive(),
  releases: z.record(
    z.string(),
    z.looseObject({
      sources: z.record(z.string(), z.looseObject({ version: z.string().min(1) })).default({}),
      binaries: z.record(z.string(), Pkg).default({}),
      allbinaries: z.record(z.string(), Pkg).optional(),
    }),
  ),
})

type UsnDbNotice = z.output<typeof UsnDbNoticeSchema>

function dbToAdvisory(n: UsnDbNotice, source: AdvisorySource): Advisory {
  const releases: ReleaseFixes[] = Object.entries(n.releases).map(([codename, r]) => {
    const bins = r.allbinaries ?? r.binaries
    const binaries: BinaryFix[] = Object.entries(bins).map(([name, b]) => ({
      name,
      fixedVersion: b.version,
      source: b.source,
      pocket: b.pocket,
    }))
    const pro = Object.values(bins).some((b) => (b.pocket ?? '').startsWith('esm'))
    return {
      codename,
      version: versionOfCodename(codename),
      pro,
      sources: Object.entries(r.sources).map(([name, s]) => ({ name, fixedVersion: s.version })),
      binaries,
    }
  })
  const urls = n.cves.filter((c) => /^https?:\/\//.test(c))
  return withSource(
    {
      id: `USN-${n.id}`,
      aliases: uniqueSorted(n.cves.filter((c) => !/^https?:\/\//.test(c))),
      cves: cveIds(...n.cves),
      title: n.title || n.summary,
      summary: (n.isummary ?? n.summary).trim(),
      details: n.description.trim(),
      priority: undefined,
      published: Math.round(n.timestamp * 1000),
      modified: undefined,
      releases,
      mitigations: n.action?.trim() ? [n.action.trim()] : [],
      references: [
        { type: 'ADVISORY', url: `https://ubuntu.com/security/notices/USN-${n.id}` },
        ...urls.map((url) => ({ type: 'REPORT', url })),
      ],
    },
    source,
  )
}

/**
 * Parses a usn-db `database.json`. A malformed notice is reported (channel, record, field) and skipped.
 * Throws ADV_TOO_LARGE, ADV_NOT_JSON, or ADV_SCHEMA when the document is not an object of notices.
 */
export function parseUsnDb(input: JsonInput, source: AdvisorySource = localSource('usn-db')): ChannelRecords {
  const json = decodeJson(input, source.url)
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CoreError('ADV_SCHEMA', `${source.channelId}: database.json is not an object`, {
      channel: source.channelId,
      record: source.url,
      field: '(root)',
    })
  }
  return collectRecords(
    source.channelId,
    Object.entries(json),
    ([key, value]) => {
      const parsed = UsnDbNoticeSchema.safeParse(value)
      if (!parsed.success) throw schemaError(source.channelId, key, parsed.error)
      return dbToAdvisory(parsed.data, source)
    },
    ([key]) => key,
  )
}
