/**
 * Release / InRelease contents and their freshness checks.
 *
 * Fields follow the Debian repository format (https://wiki.debian.org/DebianRepository/Format, "Release
 * files"). `parseRelease` reads only text that the signature layer returned as signed;
 * `checkRelease` applies the freshness and suite rules of docs/trust.md ("Mirrors", "Freshness and rollback").
 */
import { Limits } from '../limits'
import { parseSingleStanza } from './control'
import type { ControlStanza } from './control'
import { aptError } from './errors'

/** The signed size and SHA256 of one file listed in a Release (or an index). */
export interface FileHash {
  readonly size: number
  /** Lower-case hex. */
  readonly sha256: string
}

/** The fields of a Release file that Lifeline uses. Times are epoch milliseconds. */
export interface ReleaseInfo {
  readonly origin?: string | undefined
  readonly label?: string | undefined
  readonly suite?: string | undefined
  readonly codename?: string | undefined
  readonly version?: string | undefined
  readonly date: number
  readonly validUntil?: number | undefined
  readonly architectures: readonly string[]
  readonly components: readonly string[]
  /** "Acquire-By-Hash: yes": indexes may be fetched from `by-hash/SHA256/<hex>` (race-free updates). */
  readonly acquireByHash: boolean
  /** The `SHA256` list: path relative to the Release's directory → size and hash. */
  readonly sha256: ReadonlyMap<string, FileHash>
}

/** Options of checkRelease. Times are epoch milliseconds. */
export interface ReleaseCheckOptions {
  /** The suite the sources line names (`noble-security`, `bookworm-security`); see `releaseMatchesSuite`. */
  readonly expectedSuite: string
  /** One reference time for the whole check (an injected clock, never read here). */
  readonly now: number
  /** Maximum age of Date; default maxAgeFor(expectedSuite). */
  readonly maxAgeMs?: number | undefined
  /** Allowed clock skew for a Date in the future; default Limits.time.clockSkewMs. */
  readonly clockSkewMs?: number | undefined
  /** Date of the newest Release already accepted for this mirror and suite (the persisted high-water mark). */
  readonly highWaterDate?: number | undefined
}

/** What checkRelease measured on an accepted Release. */
export interface ReleaseCheckResult {
  /** now − Date (can be slightly negative within the clock-skew allowance). */
  readonly ageMs: number
}

/**
 * Parses the signed text of a Release / InRelease.
 *
 * Requires Date and a SHA256 list (apt refuses Releases with only MD5Sum/SHA1 since 1.2 — weak hashes are not
 * evidence). Throws APT_PARSE, APT_MISSING_FIELD, APT_BAD_FIELD or APT_BAD_DATE.
 */
export function parseRelease(signedText: string): ReleaseInfo {
  const st = parseSingleStanza(signedText, { source: 'Release' })
  const dateText = st.get('Date')
  if (dateText === undefined)
    throw aptError('APT_MISSING_FIELD', 'Release has no Date field', { field: 'Date' })
  const vu = st.get('Valid-Until')
  const sha = st.field('SHA256')
  if (sha === undefined)
    throw aptError('APT_MISSING_FIELD', 'Release has no SHA256 list', { field: 'SHA256' })
  return {
    origin: st.get('Origin'),
    label: st.get('Label'),
    suite: st.get('Suite'),
    codename: st.get('Codename'),
    version: st.get('Version'),
    date: parseAptDate(dateText, 'Date'),
    validUntil: vu === undefined ? undefined : parseAptDate(vu, 'Valid-Until'),
    architectures: words(st.get('Architectures')),
    components: words(st.get('Components')),
    acquireByHash: yesNo(st, 'Acquire-By-Hash'),
    sha256: parseHashList(sha.value, sha.line, 'SHA256'),
  }
}

/**
 * Checks a parsed Release against the trust model's freshness rules, in this order:
 *
 * 1. APT_WRONG_SUITE: the Release is not for the pocket asked for (`releaseMatchesSuite`; apt: "Conflicting
 *    distribution").
 * 2. APT_DATE_IN_FUTURE: Date later than now + clock skew (apt: "Release file ... is not valid yet").
 * 3. APT_FROZEN: Valid-Until has passed (apt: "Release file ... is expired"; freeze attack).
 * 4. APT_ROLLBACK: Date older than the high-water mark (a replayed, older signed Release).
 * 5. APT_STALE: Date older than maxAgeMs (Ubuntu sets no Valid-Until, so this bounds freeze attacks there).
 */
export function checkRelease(info: ReleaseInfo, opts: ReleaseCheckOptions): ReleaseCheckResult {
  const { expectedSuite, now } = opts
  const skew = opts.clockSkewMs ?? Limits.time.clockSkewMs
  const maxAge = opts.maxAgeMs ?? maxAgeFor(expectedSuite)
  const details = {
    suite: info.suite ?? null,
    codename: info.codename ?? null,
    date: iso(info.date),
    now: iso(now),
  }
  if (!releaseMatchesSuite(info, expectedSuite)) {
    throw aptError(
      'APT_WRONG_SUITE',
      `Release is for ${info.suite ?? '?'} (${info.codename ?? '?'}), not ${expectedSuite}`,
      { ...details, expected: expectedSuite },
    )
  }
  if (info.date > now + skew) {
    throw aptError('APT_DATE_IN_FUTURE', `Release Date ${iso(info.date)} is in the future`, details)
  }
  if (info.validUntil !== undefined && now > info.validUntil) {
    throw aptError('APT_FROZEN', `Release expired at ${iso(info.validUntil)} (Valid-Until)`, {
      ...details,
      validUntil: iso(info.validUntil),
    })
  }
  if (opts.highWaterDate !== undefined && info.date < opts.highWaterDate) {
    throw aptError('APT_ROLLBACK', `Release Date ${iso(info.date)} is older than one already accepted`, {
      ...details,
      highWater: iso(opts.highWaterDate),
    })
  }
  const ageMs = now - info.date
  if (ageMs > maxAge) {
    throw aptError('APT_STALE', `Release is ${Math.round(ageMs / 3600_000)} hours old`, {
      ...details,
      maxAgeMs: maxAge,
    })
  }
  return { ageMs }
}

/**
 * True when a Release is the one for the pocket `expectedSuite` names.
 *
 * The rule (docs/trust.md, "Which Release answers for which suite"): `Suite` equals the name asked for; or
 * `Codename` equals it and `Suite` is absent or names the same pocket (the part after the first `-`, empty for a
 * release pocket). The second branch is what Debian needs: `bookworm-security` answers with `Suite:
 * oldstable-security`, `Codename: bookworm-security`, and `bookworm` with `Suite: oldstable`, `Codename: bookworm`.
 *
 * Why stricter than apt's `metaIndex::CheckDist` (Suite or Codename, and a mismatch is only a warning): every Ubuntu
 * pocket's Release carries `Codename: <codename>`, so "Suite or Codename" accepts the genuine, Ubuntu-signed
 * `noble-security` Release as `noble`. apt keeps no mark across pockets, so there it only mixes lists; Lifeline
 * keeps a high-water mark per pocket, and a newer pocket's Date accepted for the release pocket would make the
 * genuine release pocket look rolled back forever.
 */
export function releaseMatchesSuite(
  info: Pick<ReleaseInfo, 'suite' | 'codename'>,
  expectedSuite: string,
): boolean {
  if (info.suite === expectedSuite) return true
  if (info.codename !== expectedSuite) return false
  return info.suite === undefined || pocketOf(info.suite) === pocketOf(expectedSuite)
}

/** The pocket part of a suite name: `security` for `noble-security` or `stable-security`, `` for `noble`. */
function pocketOf(suite: string): string {
  const dash = suite.indexOf('-')
  return dash === -1 ? '' : suite.slice(dash + 1)
}

/**
 * Default maximum Release age for a suite: `-security` pockets 7 days, other pockets (`-updates`, `-backports`,
 * `-proposed`) 7 days (Limits.time), and no maximum for a release pocket (a bare codename such as `noble`).
 *
 * Why the release pocket is exempt: Ubuntu freezes it on release day and never re-signs it (the real noble
 * InRelease is dated 2024-04-25 and still current in 2026), so any maximum age would call every healthy mirror
 * stale. It carries no security fixes; signature, suite and rollback checks still apply to it.
 */
export function maxAgeFor(
  suite: string,
  ages: { readonly securityMs: number; readonly otherMs: number } = {
    securityMs: Limits.time.maxAgeSecurityMs,
    otherMs: Limits.time.maxAgeOtherMs,
  },
): number {
  if (suite.endsWith('-security')) return ages.securityMs
  return suite.includes('-') ? ages.otherMs : Number.POSITIVE_INFINITY
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const DATE_RE =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), +)?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) {1,2}(\d{1,2}):(\d{2}):(\d{2}) +(UTC|GMT|Z|[+-]\d{4})$/

/**
 * Parses an RFC 2822 date strictly, as apt and dpkg write them ("Sat, 21 Nov 2026 12:00:00 UTC",
 * "Sat, 28 Jun 2025 10:00:00 +0200"), into epoch milliseconds. Ubuntu's Release writer pads a one-digit hour
 * with a space ("Sun, 09 Oct 2022  9:15:35 UTC"), so the hour may have one digit after two spaces.
 *
 * Unlike Date.parse it accepts no other layout, checks every range (no "Feb 31" rolling over) and checks the
 * day of the week when present. `utcOnly` (Release files: apt's RFC1123StrToTime) refuses offsets other than
 * UTC/GMT/Z/+0000. Throws APT_BAD_DATE.
 */
export function parseRfc2822Date(text: string, field = 'date', utcOnly = false): number {
  const m = DATE_RE.exec(text.trim())
  if (m === null) throw badDate(field, text)
  const [, wd, dd, mon, yyyy, hh, mi, ss, zone] = m
  const day = Number(dd)
  const month = MONTHS.indexOf(mon ?? '')
  const year = Number(yyyy)
  const hour = Number(hh)
  const minute = Number(mi)
  const second = Number(ss)
  // Years before 1970 are no apt date (and Date.UTC would map 0050 to 1950).
  if (year < 1970 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > daysIn(year, month))
    throw badDate(field, text)
  let offsetMin = 0
  if (zone !== undefined && zone !== 'UTC' && zone !== 'GMT' && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3))
    const om = Number(zone.slice(3, 5))
    if (oh > 23 || om > 59) throw badDate(field, text)
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om)
    if (utcOnly && offsetMin !== 0) throw badDate(field, text)
  }
  const t = Date.UTC(year, month, day, hour, minute, second)
  if (wd !== undefined && DAYS[new Date(t).getUTCDay()] !== wd) throw badDate(field, text)
  return t - offsetMin * 60_000
}

/** Parses a Release-file date (UTC only). */
function parseAptDate(text: string, field: string): number {
  return parseRfc2822Date(text, field, true)
}

/**
 * Parses a `hash size path` list (Release `SHA256`, Sources `Checksums-Sha256`).
 *
 * Paths must be relative and free of `..` segments, since callers join them to a mirror URL. A path listed
 * twice is refused. Throws APT_BAD_FIELD with the line number.
 */
export function parseHashList(value: string, firstLine: number, field: string): Map<string, FileHash> {
  const out = new Map<string, FileHash>()
  const lines = value.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? ''
    if (l === '') continue
    const line = firstLine + i
    const parts = l.split(/[ \t]+/)
    const [hash, size, path] = parts
    if (parts.length !== 3 || hash === undefined || size === undefined || path === undefined) {
      throw badField(field, line, 'expected "sha256 size path"')
    }
    if (!isSha256Hex(hash)) throw badField(field, line, 'not a SHA256 hex digest')
    const n = parseSize(size)
    if (n === undefined) throw badField(field, line, 'size is not a number')
    if (!isSafeRelativePath(path)) throw badField(field, line, 'path is not a safe relative path')
    if (out.has(path)) throw badField(field, line, `${path} is listed twice`)
    out.set(path, { size: n, sha256: hash.toLowerCase() })
  }
  return out
}

/** True for 64 hex digits. */
export function isSha256Hex(s: string): boolean {
  if (s.length !== 64) return false
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false
  }
  return true
}

/** A decimal size (digits only, safe integer), or undefined. */
export function parseSize(s: string): number | undefined {
  if (s.length === 0 || s.length > 15) return undefined
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  return Number(s)
}

/** A relative path with no empty, `.` or `..` segment, no backslash and no control characters. */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.length > 4096 || p.startsWith('/')) return false
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i)
    if (c < 33 || c === 127 || c === 92) return false
  }
  for (const seg of p.split('/')) if (seg === '' || seg === '.' || seg === '..') return false
  return true
}

function words(v: string | undefined): string[] {
  return v === undefined ? [] : v.split(/\s+/).filter((w) => w !== '')
}

function yesNo(st: ControlStanza, name: string): boolean {
  const f = st.field(name)
  if (f === undefined) return false
  if (f.value === 'yes') return true
  if (f.value === 'no') return false
  throw badField(name, f.line, 'expected "yes" or "no"')
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
}

function iso(t: number): string {
  return new Date(t).toISOString()
}

function badDate(field: string, text: string): Error {
  return aptError(
    'APT_BAD_DATE',
    `${field} is not an RFC 2822 date as apt writes it: "${text.slice(0, 60)}"`,
    {
      field,
    },
  )
}

function badField(field: string, line: number, why: string): Error {
  return aptError('APT_BAD_FIELD', `${field}, line ${line}: ${why}`, { field, line })
}
