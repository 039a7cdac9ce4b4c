/**
 * The index of Lifeline's signed advisory feed: parse, format and freshness/rollback checks.
 *
 * The format (docs/signed-feed.md) is the apt Release model applied to advisories: a deb822-style paragraph
 * (Debian repository format, "Release files") with `Format`, `Feed`, `Date`, `Valid-Until`, `Serial` and a
 * `SHA256` list of `<sha256> <size> <path>` lines, clearsigned by a pinned `advisory` key.
 */
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { AdvisoryErrorCode } from './model'

/** The only index format this code reads and writes. */
export const FEED_FORMAT = 'lifeline-feed/1'

/** The index file name next to the OSV files. */
export const FEED_INDEX_NAME = 'index.asc'

/** One listed OSV file. */
export interface FeedFileEntry {
  /** Relative path under the feed folder, e.g. `osv/USN-7000-1.json`. */
  readonly path: string
  readonly size: number
  /** Lower-case hex SHA256. */
  readonly sha256: string
}

/** A parsed feed index. */
export interface FeedIndex {
  readonly format: string
  readonly feed: string
  readonly description: string | undefined
  readonly date: number
  readonly validUntil: number
  readonly serial: number
  readonly files: readonly FeedFileEntry[]
}

/** The newest index accepted so far for a feed (kept on disk): the rollback high-water mark. */
export interface FeedHighWater {
  readonly serial: number
  readonly date: number
}

function syntax(message: string, field: string): CoreError<AdvisoryErrorCode> {
  return new CoreError<AdvisoryErrorCode>('ADV_FEED_SYNTAX', message, { field })
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const RFC2822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT|Z|[+-]\d{4})$/

/**
 * Parses an RFC 2822 date as apt's Release `Date`/`Valid-Until` use it (`Sat, 21 Nov 2026 10:00:00 UTC`).
 * Strict: `Date.parse` accepts too much.
 */
export function parseFeedDate(value: string, field: string): number {
  const m = RFC2822.exec(value)
  if (!m) throw syntax(`${field}: not an RFC 2822 date: ${value}`, field)
  const [, d, mon, y, h, mi, s, zone] = m
  const t = Date.UTC(Number(y), MONTHS.indexOf(mon ?? ''), Number(d), Number(h), Number(mi), Number(s))
  const back = new Date(t)
  if (back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    throw syntax(`${field}: invalid date: ${value}`, field)
  }
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1
    return t - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) * 60_000
  }
  return t
}

/** Formats epoch ms as apt does: `Sat, 21 Nov 2026 10:00:00 UTC`. */
export function formatFeedDate(ms: number): string {
  const d = new Date(ms)
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${day}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`
}

/**
 * A listed path must stay inside the feed folder once resolved against the index URL: relative, `/`-separated,
 * no `.`/`..` segment, no `%`, `\`, `?` or `#`, and ending in `.json`.
 */
export function isSafeFeedPath(path: string): boolean {
  if (path.length === 0 || path.length > 255 || !path.endsWith('.json')) return false
  if (!/^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/.test(path)) return false
  return path.split('/').every((seg) => seg !== '.' && seg !== '..')
}

const FEED_NAME = /^[a-z0-9][a-z0-9.+-]{0,63}$/

/** The index's fields by lower-case name, each as its lines (the first line, then continuation lines). */
type IndexFields = ReadonlyMap<string, readonly string[]>

/** Splits the one deb822-style paragraph of the index into fields; ADV_FEED_SYNTAX on any other shape. */
function readIndexFields(signedText: string): IndexFields {
  const fields = new Map<string, string[]>()
  let current: string[] | undefined
  const lines = signedText.replace(/\r\n/g, '\n').split('\n')
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      // One paragraph only; blank lines are tolerated only at the end.
      if (lines.slice(i).some((l) => l.trim() !== ''))
        throw syntax(`line ${i + 1}: blank line inside the index`, '(root)')
      return
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current) throw syntax(`line ${i + 1}: continuation line without a field`, '(root)')
      current.push(line.trim())
      return
    }
    const m = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(line)
    if (!m) throw syntax(`line ${i + 1}: not a "Field: value" line`, '(root)')
    const name = (m[1] ?? '').toLowerCase()
    if (fields.has(name)) throw syntax(`field ${m[1]} given twice`, m[1] ?? name)
    current = [m[2] ?? '']
    fields.set(name, current)
  })
  return fields
}

/** A required field of one non-empty line. */
function requiredLine(fields: IndexFields, name: string): string {
  const v = fields.get(name.toLowerCase())
  if (!v) throw syntax(`missing field ${name}`, name)
  if (v.length !== 1 || (v[0] ?? '') === '') throw syntax(`field ${name} must be one non-empty line`, name)
  return v[0] ?? ''
}

/** `Serial`: a non-negative integer JavaScript holds exactly. */
function readSerial(fields: IndexFields): number {
  const serialText = requiredLine(fields, 'Serial')
  if (!/^(0|[1-9]\d{0,15})$/.test(serialText) || !Number.isSafeInteger(Number(serialText))) {
    throw syntax(`Serial: not a non-negative integer: ${serialText}`, 'Serial')
  }
  return Number(serialText)
}

/** The `SHA256` list: an empty first line, then at most Limits.advisories.feedMaxFiles distinct safe entries. */
function readFileList(fields: IndexFields): FeedFileEntry[] {
  const sha = fields.get('sha256')
  if (!sha) throw syntax('missing field SHA256', 'SHA256')
  if ((sha[0] ?? '') !== '') throw syntax('SHA256: the list starts on the next line', 'SHA256')
  const entries = sha.slice(1)
  if (entries.length > Limits.advisories.feedMaxFiles) throw syntax('SHA256: too many files', 'SHA256')
  const seen = new Set<string>()
  return entries.map((line): FeedFileEntry => {
    const entry = readFileEntry(line)
    if (seen.has(entry.path)) throw syntax(`SHA256: ${entry.path} listed twice`, 'SHA256')
    seen.add(entry.path)
    return entry
  })
}

/** One `<sha256> <size> <path>` line; ADV_FEED_BAD_PATH for a path that could leave the feed folder. */
function readFileEntry(line: string): FeedFileEntry {
  const m = /^([0-9a-fA-F]{64})\s+(\d{1,12})\s+(\S+)$/.exec(line)
  if (!m) throw syntax(`SHA256: malformed entry: ${line}`, 'SHA256')
  const path = m[3] ?? ''
  if (!isSafeFeedPath(path)) {
    throw new CoreError<AdvisoryErrorCode>('ADV_FEED_BAD_PATH', `SHA256: unsafe path: ${path}`, {
      field: 'SHA256',
      path,
    })
  }
  const size = Number(m[2])
  if (size > Limits.size.advisoryBytes) {
    throw new CoreError<AdvisoryErrorCode>('ADV_TOO_LARGE', `${path}: listed size over the advisory cap`, {
      field: 'SHA256',
      path,
    })
  }
  return { path, size, sha256: (m[1] ?? '').toLowerCase() }
}

/**
 * Parses the signed text of a feed index (the `signedText` of a verified clearsigned document — never the raw
 * file). Throws ADV_FEED_SYNTAX (details.field names the field), ADV_FEED_VERSION, ADV_FEED_BAD_PATH or
 * ADV_TOO_LARGE.
 */
export function parseFeedIndex(signedText: string): FeedIndex {
  if (signedText.length > Limits.advisories.feedIndexBytes) {
    throw new CoreError<AdvisoryErrorCode>('ADV_TOO_LARGE', 'feed index too large', {
      maxBytes: Limits.advisories.feedIndexBytes,
    })
  }
  const fields = readIndexFields(signedText)
  const format = requiredLine(fields, 'Format')
  if (format !== FEED_FORMAT) {
    throw new CoreError<AdvisoryErrorCode>('ADV_FEED_VERSION', `unsupported feed format: ${format}`, {
      field: 'Format',
    })
  }
  const feed = requiredLine(fields, 'Feed')
  if (!FEED_NAME.test(feed)) throw syntax(`Feed: not a feed name: ${feed}`, 'Feed')
  const date = parseFeedDate(requiredLine(fields, 'Date'), 'Date')
  const validUntil = parseFeedDate(requiredLine(fields, 'Valid-Until'), 'Valid-Until')
  if (validUntil <= date) throw syntax('Valid-Until is not after Date', 'Valid-Until')
  const serial = readSerial(fields)
  const files = readFileList(fields)
  const description = fields.get('description')?.join('\n')
  return { format, feed, description, date, validUntil, serial, files }
}

/** Options of `checkFeedIndex`. */
export interface FeedCheckOptions {
  /** The one reference time of this check (main/core/README.md: one reference time per check). */
  readonly now: number
  /** The newest serial accepted before for this feed; undefined on first use (trust on first use of the serial). */
  readonly highWaterSerial?: number | undefined
  /** The `Date` of that index, when kept. */
  readonly highWaterDate?: number | undefined
  /** The configured feed name; the index must carry it (stops a valid index of another feed being swapped in). */
  readonly feedName?: string | undefined
}

/**
 * Checks freshness, rollback and identity of a parsed index, as apt does for a Release (Debian repository
 * format, `Date` and `Valid-Until`) and TUF does for snapshot versions (TUF spec 5.4: versions never decrease).
 *
 * - ADV_FEED_NAME: the index is for another feed.
 * - ADV_FEED_DATE_IN_FUTURE: `Date` later than now + Limits.time.clockSkewMs.
 * - ADV_FEED_EXPIRED: `Valid-Until` at or before now.
 * - ADV_FEED_SYNTAX: `Valid-Until − Date` longer than Limits.advisories.feedMaxValidityMs.
 * - ADV_FEED_ROLLBACK: `Serial` lower than the high-water serial, or equal with a different `Date`, or `Date`
 *   older than the high-water date. The same index seen again (same serial and date) is accepted: it is unchanged.
 */
export function checkFeedIndex(index: FeedIndex, opts: FeedCheckOptions): void {
  if (opts.feedName !== undefined && index.feed !== opts.feedName) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_NAME',
      `index is for feed "${index.feed}", not "${opts.feedName}"`,
      {
        feed: index.feed,
        expected: opts.feedName,
      },
    )
  }
  if (index.validUntil - index.date > Limits.advisories.feedMaxValidityMs) {
    throw syntax('Valid-Until is too far after Date', 'Valid-Until')
  }
  if (index.date > opts.now + Limits.time.clockSkewMs) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_DATE_IN_FUTURE',
      'the feed index is dated in the future',
      {
        date: index.date,
        now: opts.now,
      },
    )
  }
  if (index.validUntil <= opts.now) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_EXPIRED',
      'the feed index has expired (Valid-Until passed)',
      {
        validUntil: index.validUntil,
        now: opts.now,
      },
    )
  }
  const hw = opts.highWaterSerial
  if (hw !== undefined) {
    const sameAgain =
      index.serial === hw && (opts.highWaterDate === undefined || opts.highWaterDate === index.date)
    if (index.serial < hw || (index.serial === hw && !sameAgain)) {
      throw new CoreError<AdvisoryErrorCode>(
        'ADV_FEED_ROLLBACK',
        `serial ${index.serial} is older than ${hw} already seen`,
        {
          serial: index.serial,
          highWaterSerial: hw,
        },
      )
    }
  }
  if (opts.highWaterDate !== undefined && index.date < opts.highWaterDate) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_ROLLBACK',
      'the index is older than the newest one already seen',
      {
        date: index.date,
        highWaterDate: opts.highWaterDate,
      },
    )
  }
}

/** Writes the unsigned index text (to be clearsigned), fields in the documented order. */
export function formatFeedIndex(index: Omit<FeedIndex, 'format'> & { readonly format?: string }): string {
  const lines = [
    `Format: ${index.format ?? FEED_FORMAT}`,
    `Feed: ${index.feed}`,
    ...(index.description ? [`Description: ${index.description.replace(/\n/g, '\n ')}`] : []),
    `Date: ${formatFeedDate(index.date)}`,
    `Valid-Until: ${formatFeedDate(index.validUntil)}`,
    `Serial: ${index.serial}`,
    'SHA256:',
    ...index.files.map((f) => ` ${f.sha256} ${String(f.size).padStart(8)} ${f.path}`),
  ]
  return `${lines.join('\n')}\n`
}
