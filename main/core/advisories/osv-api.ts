/**
 * The `osv-api` channel: OSV.dev's query API, an unsigned official copy of Ubuntu's notices hosted by Google
 * (docs/trust.md, "Advisory channels").
 *
 * `POST {base}/v1/querybatch` with `{"queries":[{"package":{"name","ecosystem"},"version"}]}` (at most
 * Limits.advisories.osvBatchSize queries, answers in the same order, `{"results":[{"vulns":[{"id","modified"}],
 * "next_page_token"}]}`, an empty result is `{}`), then `GET {base}/v1/vulns/{id}` for each record not already held
 * at that `modified` date.
 *
 * Privacy: the query sends this machine's installed SOURCE package names and versions, and its release, to the
 * API's host; nothing else about the machine (docs/trust.md, "What the OSV.dev query sends").
 */
import { z } from 'zod'
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { Fetcher } from '../ports'
import type { LocalSystem } from '../system/types'
import type { Advisory, AdvisoryErrorCode, ChannelRecords, RecordIssue } from './model'
import { AdvisoryIdSchema } from './osv'
import { fetchOsvRecords, type RecordRequest } from './osv-records'
import { advisorySourceName, decodeJson, schemaError } from './parse-util'

/** One installed source package, as the query sends it. */
export interface InstalledSource {
  readonly name: string
  readonly version: string
}

/** What the advisory channels may know about this machine: its OSV ecosystem and installed source packages. */
export interface ChannelQuery {
  /** e.g. `Ubuntu:24.04:LTS`; undefined when the machine is not Ubuntu (nothing is asked then). */
  readonly ecosystem: string | undefined
  /** Installed source packages, sorted by name, one entry per name and version. */
  readonly sources: readonly InstalledSource[]
  /** CVE ids the signed archive's changelogs named for newer versions of installed sources (earlier checks). */
  readonly cves: readonly string[]
}

/** The empty query: nothing known about the machine, nothing asked. */
export const NO_QUERY: ChannelQuery = { ecosystem: undefined, sources: [], cves: [] }

/**
 * The OSV ecosystem of an Ubuntu release: `Ubuntu:<VERSION_ID>`, with `:LTS` for long-term releases (as OSV.dev
 * and canonical/ubuntu-security-notices name them). Undefined for any other distribution.
 */
export function ubuntuEcosystem(system: Pick<LocalSystem, 'os'>): string | undefined {
  const os = system.os
  if (os.id !== 'ubuntu' || !os.versionId || !/^\d+\.\d+$/.test(os.versionId)) return undefined
  const lts = /\bLTS\b/.test(os.fields.VERSION ?? '') || /\bLTS\b/.test(os.prettyName)
  return `Ubuntu:${os.versionId}${lts ? ':LTS' : ''}`
}

/**
 * What the query asks about: each installed source package once (the name advisories use: signed kernel sources
 * `linux-signed*` are asked as `linux*`), sorted. Packages dpkg holds as removed (`deinstall`, `purge`) are left out.
 */
export function channelQueryOf(
  system: Pick<LocalSystem, 'os' | 'packages'>,
  cves: readonly string[] = [],
): ChannelQuery {
  const seen = new Map<string, InstalledSource>()
  for (const p of system.packages) {
    if (p.selection !== 'install' && p.selection !== 'hold') continue
    const name = advisorySourceName(p.source)
    seen.set(`${name} ${p.sourceVersion}`, { name, version: p.sourceVersion })
  }
  const sources = [...seen.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0,
  )
  return { ecosystem: ubuntuEcosystem(system), sources, cves: [...new Set(cves)].sort() }
}

const BatchAnswer = z.looseObject({
  results: z.array(
    z.looseObject({
      vulns: z
        .array(z.looseObject({ id: AdvisoryIdSchema, modified: z.string().optional() }))
        .max(100_000)
        .default([]),
      next_page_token: z.string().max(4096).optional(),
    }),
  ),
})

interface Query {
  readonly package: { readonly name: string; readonly ecosystem: string }
  readonly version: string
  readonly page_token?: string
}

/** What `readOsvApiChannel` needs. */
export interface OsvApiReadOptions {
  readonly fetcher: Fetcher
  readonly now: number
  readonly channelId: string
  readonly query: ChannelQuery
  /** The channel's last good records (reused while their `modified` date is unchanged). */
  readonly previous: readonly Advisory[]
}

/** The channel's records, plus every id OSV.dev listed for this machine (for the github-osv channel). */
export interface OsvApiRecords extends ChannelRecords {
  readonly ids: readonly string[]
  /** The `modified` date OSV.dev listed for each id, when it gave one (epoch ms). */
  readonly modified: ReadonlyMap<string, number>
}

const enc = new TextEncoder()

/** The API's base URL without a trailing slash. */
function baseOf(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * Reads the OSV.dev API for this machine. Throws (the channel failed; its last good copy is kept) when a
 * `querybatch` request fails or its answer is malformed; a record that fails is an issue.
 */
export async function readOsvApiChannel(baseUrl: string, opts: OsvApiReadOptions): Promise<OsvApiRecords> {
  const { ecosystem, sources } = opts.query
  if (ecosystem === undefined || sources.length === 0)
    return { advisories: [], issues: [], ids: [], modified: new Map() }
  const base = baseOf(baseUrl)
  const listed = new Map<string, number | undefined>()
  const issues: RecordIssue[] = []
  let pending: Query[] = sources.map((s) => ({ package: { name: s.name, ecosystem }, version: s.version }))
  let requests = 0
  while (pending.length > 0) {
    const nextRound: Query[] = []
    for (let i = 0; i < pending.length; i += Limits.advisories.osvBatchSize) {
      if (requests >= Limits.advisories.osvMaxBatchRequests) {
        issues.push({
          channelId: opts.channelId,
          record: 'querybatch',
          field: 'results',
          code: 'ADV_QUERY_LIMIT' satisfies AdvisoryErrorCode,
          message: `more than ${Limits.advisories.osvMaxBatchRequests} querybatch requests needed; the rest is asked at the next check`,
        })
        pending = []
        break
      }
      requests++
      const queries = pending.slice(i, i + Limits.advisories.osvBatchSize)
      const answer = await queryBatch(base, queries, opts)
      answer.results.forEach((r, k) => {
        for (const v of r.vulns) {
          const modified = v.modified !== undefined ? Date.parse(v.modified) : Number.NaN
          const prev = listed.get(v.id)
          const m = Number.isFinite(modified) ? modified : undefined
          listed.set(v.id, prev === undefined ? m : m === undefined ? prev : Math.max(prev, m))
        }
        const q = queries[k]
        if (r.next_page_token && q) nextRound.push({ ...q, page_token: r.next_page_token })
      })
    }
    pending = pending.length === 0 ? [] : nextRound
  }
  const ids = [...listed.keys()].sort()
  const reqs: RecordRequest[] = ids.map((id) => ({
    id,
    url: `${base}/v1/vulns/${encodeURIComponent(id)}`,
    modified: listed.get(id),
  }))
  const recs = await fetchOsvRecords(reqs, {
    fetcher: opts.fetcher,
    now: opts.now,
    channelId: opts.channelId,
    channelType: 'osv-api',
    previous: opts.previous,
  })
  const modified = new Map<string, number>()
  for (const [id, m] of listed) if (m !== undefined) modified.set(id, m)
  return { advisories: recs.advisories, issues: [...issues, ...recs.issues], ids, modified }
}

/** One `querybatch` request: its answer must hold one result per query, in order. */
async function queryBatch(
  base: string,
  queries: readonly Query[],
  opts: OsvApiReadOptions,
): Promise<z.output<typeof BatchAnswer>> {
  const url = `${base}/v1/querybatch`
  const res = await opts.fetcher({
    url,
    method: 'POST',
    contentType: 'application/json',
    body: enc.encode(JSON.stringify({ queries })),
    maxBytes: Limits.advisories.osvBatchResponseBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    allowHttp: false,
  })
  const json = decodeJson(res.body, url, Limits.advisories.osvBatchResponseBytes)
  const parsed = BatchAnswer.safeParse(json)
  if (!parsed.success) throw schemaError(opts.channelId, url, parsed.error)
  if (parsed.data.results.length !== queries.length) {
    // Answers are matched to queries by position: a short or long list cannot be matched at all.
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_SCHEMA',
      `${opts.channelId}: ${url}: results: ${parsed.data.results.length} results for ${queries.length} queries`,
      { channel: opts.channelId, record: url, field: 'results' },
    )
  }
  return parsed.data
}
