/**
 * The lab's two independent copies of Ubuntu's OSV data: a loopback OSV.dev API (`POST /v1/querybatch`,
 * `GET /v1/vulns/{id}`, with the request and answer shapes of the public API documentation) and a GitHub-like raw
 * file host serving canonical/ubuntu-security-notices' layout (`/<owner>/<repo>/<branch>/osv/usn/USN-….json`,
 * `osv/cve/<year>/UBUNTU-CVE-….json`).
 *
 * Both serve the same records: the real OSV notices of test/fixtures (byte-exact) and the synthetic Copy Fail
 * records. The `conflicting-advisory` fault serves Copy Fail with another fixed kernel version.
 */
import { compareDebianVersions } from '../core/apt/version'
import { copyFailCveRecord, copyFailNotice } from './copy-fail'
import { OSV_FIXTURES } from './content'
import type { SiteContent, SiteResponse } from './site'

const enc = new TextEncoder()
const dec = new TextDecoder()

/** The conflicting variant's fixed kernel: one upload later than the real fix. */
export const CONFLICTING_KERNEL = '6.8.0-41.42'

/** One record both hosts serve: its bytes normally and under `conflicting-advisory`. */
interface HostedRecord {
  readonly id: string
  readonly body: Uint8Array
  readonly conflicting: Uint8Array
  readonly modified: string
  /** `ecosystem\0package` → fixed version (undefined: affected, no fix). */
  readonly affects: ReadonlyMap<string, string | undefined>
  readonly conflictingAffects: ReadonlyMap<string, string | undefined>
}

interface OsvShape {
  readonly id: string
  readonly modified: string
  readonly affected: readonly {
    readonly package: { readonly ecosystem: string; readonly name: string }
    readonly ranges?: readonly { readonly events: readonly Record<string, string>[] }[]
  }[]
}

function affectsOf(doc: OsvShape): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>()
  for (const a of doc.affected) {
    let fixed: string | undefined
    for (const r of a.ranges ?? []) for (const e of r.events) if (e.fixed !== undefined) fixed = e.fixed
    out.set(`${a.package.ecosystem}\u0000${a.package.name}`, fixed)
  }
  return out
}

function hosted(body: Uint8Array, conflicting: Uint8Array): HostedRecord {
  const doc = JSON.parse(dec.decode(body)) as OsvShape
  const bad = JSON.parse(dec.decode(conflicting)) as OsvShape
  return {
    id: doc.id,
    body,
    conflicting,
    modified: doc.modified,
    affects: affectsOf(doc),
    conflictingAffects: affectsOf(bad),
  }
}

/** The records the lab's OSV hosts serve. */
export function osvHostRecords(fx: ReadonlyMap<string, Uint8Array>, now: number): HostedRecord[] {
  const json = (v: unknown) => enc.encode(`${JSON.stringify(v, null, 2)}\n`)
  const out: HostedRecord[] = [
    hosted(json(copyFailNotice(now)), json(copyFailNotice(now, CONFLICTING_KERNEL))),
    hosted(json(copyFailCveRecord(now)), json(copyFailCveRecord(now, CONFLICTING_KERNEL))),
  ]
  for (const p of OSV_FIXTURES) {
    const body = fx.get(p)
    if (body) out.push(hosted(body, body))
  }
  return out
}

const json = (status: number, v: unknown): SiteResponse => ({
  status,
  body: enc.encode(JSON.stringify(v)),
  contentType: 'application/json',
})

/** True when `version` is below `fixed` (or the record names no fix: every version affected). */
function isAffected(version: string, fixed: string | undefined): boolean {
  if (fixed === undefined) return true
  try {
    return compareDebianVersions(version, fixed) < 0
  } catch {
    return false
  }
}

/** The loopback OSV.dev API. */
export function osvApiContent(records: readonly HostedRecord[]): SiteContent {
  const byId = new Map(records.map((r) => [r.id, r]))
  return (path, _query, fault, request) => {
    const conflicting = fault.name === 'conflicting-advisory'
    if (path === '/v1/querybatch') {
      if (request.method !== 'POST') return json(405, { code: 12, message: 'Method not allowed' })
      let body: { queries?: unknown }
      try {
        body = JSON.parse(dec.decode(request.body)) as { queries?: unknown }
      } catch {
        return json(400, { code: 3, message: 'Invalid JSON' })
      }
      const queries = body.queries
      if (!Array.isArray(queries) || queries.length > 1000)
        return json(400, { code: 3, message: 'queries must be a list of at most 1000' })
      const results = queries.map((q: unknown) => {
        const o = q as { package?: { name?: unknown; ecosystem?: unknown }; version?: unknown }
        const name = o.package?.name
        const eco = o.package?.ecosystem
        const version = o.version
        if (typeof name !== 'string' || typeof eco !== 'string' || typeof version !== 'string') return {}
        const key = `${eco}\u0000${name}`
        const vulns = records
          .filter((r) => {
            const affects = conflicting ? r.conflictingAffects : r.affects
            return affects.has(key) && isAffected(version, affects.get(key))
          })
          .map((r) => ({ id: r.id, modified: r.modified }))
        // An empty result is `{}` in the real API, not `{"vulns": []}`.
        return vulns.length > 0 ? { vulns } : {}
      })
      return json(200, { results })
    }
    const m = /^\/v1\/vulns\/([^/]+)$/.exec(path)
    if (m && request.method === 'GET') {
      const r = byId.get(m[1] ?? '')
      if (!r) return json(404, { code: 5, message: 'Bug not found.' })
      return { status: 200, body: conflicting ? r.conflicting : r.body, contentType: 'application/json' }
    }
    return json(404, { code: 5, message: 'Not found' })
  }
}

/** The repository path the raw host serves under. */
export const GITHUB_OSV_REPO_PATH = '/canonical/ubuntu-security-notices/main'

/** The GitHub-like raw file host: the repository's `osv/` folder. */
export function githubRawContent(records: readonly HostedRecord[]): SiteContent {
  const files = new Map<string, HostedRecord>()
  for (const r of records) {
    const cve = /^UBUNTU-CVE-(\d{4})-/.exec(r.id)
    const rel = cve ? `osv/cve/${cve[1] as string}/${r.id}.json` : `osv/usn/${r.id}.json`
    files.set(`${GITHUB_OSV_REPO_PATH}/${rel}`, r)
  }
  return (path, _query, fault) => {
    const r = files.get(path)
    if (!r) return { status: 404, body: enc.encode('404: Not Found'), contentType: 'text/plain' }
    return {
      status: 200,
      body: fault.name === 'conflicting-advisory' ? r.conflicting : r.body,
      contentType: 'text/plain; charset=utf-8',
    }
  }
}
