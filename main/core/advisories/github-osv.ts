/**
 * The `github-osv` channel: Canonical's own OSV files (the canonical/ubuntu-security-notices repository), read as
 * plain files from a raw-file host, an unsigned official copy independent of ubuntu.com and of OSV.dev
 * (docs/trust.md, "Advisory channels").
 *
 * Layout of the repository: `osv/usn/USN-<n>-<m>.json` for notices, `osv/cve/<year>/UBUNTU-CVE-<year>-<n>.json` for
 * Ubuntu's CVE records. The host has no query API, so the channel reads the ids it is given: the configured list,
 * the ids OSV.dev listed for this machine in the same check, the ids it read before, and the CVEs the signed
 * archive's changelogs named for newer versions of installed packages.
 */
import { compareDebianVersions } from '../apt/version'
import type { Fetcher } from '../ports'
import { Limits } from '../limits'
import type { Advisory, ChannelRecords, AdvisoryErrorCode, RecordIssue } from './model'
import { fetchOsvRecords } from './osv-records'
import { advisorySourceName } from './parse-util'

const USN = /^USN-\d{1,6}-\d{1,3}$/
const UBUNTU_CVE = /^(?:UBUNTU-)?CVE-(\d{4})-(\d{4,8})$/

/**
 * The repository path of an advisory id, or undefined for ids the repository does not hold (LSN, Debian, ...).
 * `CVE-Y-N` is read as Ubuntu's record `UBUNTU-CVE-Y-N`.
 */
export function githubOsvPath(id: string): { readonly id: string; readonly path: string } | undefined {
  if (USN.test(id)) return { id, path: `osv/usn/${id}.json` }
  const m = UBUNTU_CVE.exec(id)
  if (m) {
    const full = `UBUNTU-CVE-${m[1] as string}-${m[2] as string}`
    return { id: full, path: `osv/cve/${m[1] as string}/${full}.json` }
  }
  return undefined
}

/** What `readGithubOsvChannel` gives: the records, and how many files it asked the host for (0: none this time). */
export interface GithubOsvRecords extends ChannelRecords {
  readonly asked: number
}

/** What `readGithubOsvChannel` needs. */
export interface GithubOsvReadOptions {
  readonly fetcher: Fetcher
  readonly now: number
  readonly channelId: string
  /** Ids in order of importance: configured, listed by OSV.dev now, read before, named by the archive. */
  readonly ids: readonly string[]
  /** `modified` dates OSV.dev listed for some ids: a copy at least that recent is not downloaded again. */
  readonly modified?: ReadonlyMap<string, number> | undefined
  readonly previous: readonly Advisory[]
}

/**
 * Reads the files for the given ids (at most Limits.advisories.githubMaxIdsPerCheck, notices first). A missing
 * file is an issue (`NET_NOT_FOUND`), a host that stops answering ends the read (last good copy kept).
 */
export async function readGithubOsvChannel(
  baseUrl: string,
  opts: GithubOsvReadOptions,
): Promise<GithubOsvRecords> {
  const base = baseUrl.replace(/\/+$/, '')
  const wanted = new Map<string, string>()
  for (const raw of opts.ids) {
    const p = githubOsvPath(raw)
    if (p && !wanted.has(p.id)) wanted.set(p.id, p.path)
  }
  // Notices before CVE records: a notice names fixed versions, most Ubuntu CVE records for a release do not.
  const ordered = [...wanted.entries()].sort(
    (a, b) => Number(b[0].startsWith('USN-')) - Number(a[0].startsWith('USN-')),
  )
  const cap = Limits.advisories.githubMaxIdsPerCheck
  const issues: RecordIssue[] = []
  if (ordered.length > cap) {
    issues.push({
      channelId: opts.channelId,
      record: ordered[cap]?.[0] ?? '',
      field: '(root)',
      code: 'ADV_QUERY_LIMIT' satisfies AdvisoryErrorCode,
      message: `${ordered.length - cap} more id(s) than one check reads (${cap}); they are read at the next check`,
    })
  }
  const recs = await fetchOsvRecords(
    ordered
      .slice(0, cap)
      .map(([id, path]) => ({ id, url: `${base}/${path}`, modified: opts.modified?.get(id) })),
    {
      fetcher: opts.fetcher,
      now: opts.now,
      channelId: opts.channelId,
      channelType: 'github-osv',
      previous: opts.previous,
    },
  )
  return { advisories: recs.advisories, issues: [...issues, ...recs.issues], asked: recs.asked }
}

/** The part of the archive-evidence cache `archiveCveHints` reads (main/core/apt/evidence.ts). */
export interface ChangelogCveRecord {
  readonly source: string
  readonly version: string
  readonly entries: readonly { readonly version: string; readonly cves: readonly string[] }[]
}

/**
 * CVE ids that signed changelogs (cached by earlier checks) name for uploads newer than what is installed: the
 * records the github-osv channel should read even when OSV.dev is down. At most `max`, newest CVE ids first.
 */
export function archiveCveHints(
  records: readonly ChangelogCveRecord[],
  installed: readonly { readonly name: string; readonly version: string }[],
  max = Limits.advisories.githubMaxIdsPerCheck,
): string[] {
  const have = new Map<string, string>()
  for (const s of installed) {
    const cur = have.get(s.name)
    if (cur === undefined || safeCompare(s.version, cur) < 0) have.set(s.name, s.version)
  }
  const out = new Set<string>()
  for (const r of records) {
    const inst = have.get(advisorySourceName(r.source))
    if (inst === undefined) continue
    for (const e of r.entries) if (safeCompare(e.version, inst) > 0) for (const c of e.cves) out.add(c)
  }
  return [...out].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, max)
}

function safeCompare(a: string, b: string): number {
  try {
    return compareDebianVersions(a, b)
  } catch {
    return 0
  }
}
