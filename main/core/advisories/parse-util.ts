/**
 * Shared helpers of the advisory parsers: capped JSON decoding, zod issue reporting, dates, CVE ids, priorities,
 * aliases, the source name advisories use, and reading many records where a bad one is an issue, not a failure.
 */
import type { z } from 'zod'
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { Advisory, AdvisoryErrorCode, AdvisorySource, ChannelRecords, RecordIssue } from './model'

/** A document handed to a parser: raw bytes, text, or an already parsed JSON value. */
export type JsonInput = Uint8Array | string | { readonly json: unknown }

/** Source used when a caller parses a document without naming its channel (tests, the CLI). */
export function localSource(channelType: AdvisorySource['channelType'], url = 'local:'): AdvisorySource {
  return { channelId: channelType, channelType, url, fetchedAt: 0 }
}

/** Decodes UTF-8 bytes within `maxBytes` (ADV_TOO_LARGE past it); fatal on invalid UTF-8 (ADV_NOT_JSON). */
export function decodeText(input: Uint8Array | string, maxBytes: number, what: string): string {
  // A string's UTF-8 length is at most 3 bytes per UTF-16 unit; check exactly only when it may be over.
  const size =
    typeof input === 'string'
      ? input.length * 3 <= maxBytes
        ? 0
        : new TextEncoder().encode(input).byteLength
      : input.byteLength
  if (size > maxBytes) {
    throw new CoreError<AdvisoryErrorCode>('ADV_TOO_LARGE', `${what} is larger than ${maxBytes} bytes`, {
      size,
      maxBytes,
    })
  }
  if (typeof input === 'string') return input
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input)
  } catch {
    throw new CoreError<AdvisoryErrorCode>('ADV_NOT_JSON', `${what} is not valid UTF-8`)
  }
}

/** Parses a JSON advisory document within `maxBytes` (default Limits.size.advisoryBytes). */
export function decodeJson(input: JsonInput, what: string, maxBytes = Limits.size.advisoryBytes): unknown {
  if (typeof input === 'object' && !(input instanceof Uint8Array)) return input.json
  const text = decodeText(input, maxBytes, what)
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new CoreError<AdvisoryErrorCode>('ADV_NOT_JSON', `${what} is not JSON: ${(e as Error).message}`)
  }
}

/** The dotted path of a zod issue, e.g. `affected.0.package.name`. */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map((p) => String(p)).join('.') || '(root)'
}

/** A schema failure as a coded error naming channel, record and field. */
export function schemaError(
  channelId: string,
  record: string,
  error: z.ZodError,
): CoreError<AdvisoryErrorCode> {
  const first = error.issues[0]
  const field = first ? issuePath(first) : '(root)'
  const message = first ? first.message : 'invalid'
  return new CoreError<AdvisoryErrorCode>('ADV_SCHEMA', `${channelId}: ${record}: ${field}: ${message}`, {
    channel: channelId,
    record,
    field,
  })
}

/** Converts a CoreError raised for one record into a RecordIssue. */
export function toIssue(channelId: string, record: string, e: unknown): RecordIssue {
  if (e instanceof CoreError) {
    const field = typeof e.details.field === 'string' ? e.details.field : '(root)'
    return { channelId, record, field, code: e.code, message: e.message }
  }
  throw e
}

/**
 * Reads each item into an advisory: an item `read` throws a CoreError for becomes a RecordIssue (named by
 * `recordOf`) and the rest still count; `read` returns undefined for an item to leave out (a hidden notice).
 */
export function collectRecords<T>(
  channelId: string,
  items: Iterable<T>,
  read: (item: T) => Advisory | undefined,
  recordOf: (item: T, e: unknown) => string,
): ChannelRecords {
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  for (const item of items) {
    try {
      const advisory = read(item)
      if (advisory) advisories.push(advisory)
    } catch (e) {
      issues.push(toIssue(channelId, recordOf(item, e), e))
    }
  }
  return { advisories, issues }
}

/** The record's id when readable, else the fallback (file name / URL). */
export function recordName(json: unknown, fallback: string): string {
  if (typeof json === 'object' && json !== null && 'id' in json) {
    const id = (json as { id: unknown }).id
    if (typeof id === 'string' && id.length <= 128) return id
  }
  return fallback
}

/**
 * Validates one advisory record against its channel's schema and converts it; every CoreError (schema, date)
 * names the channel, the record (its id, else `fallback`) and the field. Shared by the OSV and notices API
 * parsers.
 */
export function parseRecord<T>(
  json: unknown,
  schema: z.ZodType<T>,
  source: AdvisorySource,
  fallback: string,
  convert: (record: T, source: AdvisorySource) => Advisory,
): Advisory {
  const record = recordName(json, fallback)
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw schemaError(source.channelId, record, parsed.error)
  try {
    return convert(parsed.data, source)
  } catch (e) {
    if (e instanceof CoreError) {
      const field = typeof e.details.field === 'string' ? e.details.field : '(root)'
      throw new CoreError<AdvisoryErrorCode>(
        e.code as AdvisoryErrorCode,
        `${source.channelId}: ${record}: ${e.message}`,
        { ...e.details, channel: source.channelId, record, field },
      )
    }
    throw e
  }
}

/** Decodes one JSON document (capped) and reads it as one record with `parseRecord`, named by its URL. */
export function parseJsonRecord<T>(
  input: JsonInput,
  schema: z.ZodType<T>,
  source: AdvisorySource,
  convert: (record: T, source: AdvisorySource) => Advisory,
): Advisory {
  return parseRecord(decodeJson(input, source.url), schema, source, source.url, convert)
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Parses an ISO-8601 timestamp to epoch ms. A timestamp without a zone is UTC: the notices API writes
 * `2004-10-23T01:17:50` for UTC, and `Date.parse` would read it as local time.
 */
export function parseIsoTime(value: string, field: string): number {
  const m = ISO.exec(value.trim())
  if (!m)
    throw new CoreError<AdvisoryErrorCode>('ADV_BAD_DATE', `${field}: not an ISO-8601 time: ${value}`, {
      field,
    })
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const base = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0,
  )
  // Date.UTC rolls 2024-02-31 over to March: a round trip catches impossible dates and times.
  const back = new Date(base)
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    back.getUTCHours() !== Number(h ?? 0) ||
    back.getUTCMinutes() !== Number(mi ?? 0)
  ) {
    throw new CoreError<AdvisoryErrorCode>('ADV_BAD_DATE', `${field}: invalid date: ${value}`, { field })
  }
  let t = base
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
  }
  return t
}

const CVE = /\bCVE-\d{4}-\d{4,}\b/g

/** Every distinct CVE id in the given strings, sorted. */
export function cveIds(...texts: readonly string[]): string[] {
  const out = new Set<string>()
  for (const t of texts) for (const m of t.matchAll(CVE)) out.add(m[0])
  return [...out].sort()
}

const PRIORITIES = ['negligible', 'low', 'medium', 'high', 'critical'] as const

/** The highest Ubuntu priority among the values (unknown words are ignored), or undefined. */
export function maxPriority(values: readonly (string | undefined)[]): string | undefined {
  let best = -1
  for (const v of values) {
    const i = PRIORITIES.indexOf((v ?? '').toLowerCase() as (typeof PRIORITIES)[number])
    if (i > best) best = i
  }
  return best >= 0 ? PRIORITIES[best] : undefined
}

/** An advisory's aliases: the other ids it names, sorted and distinct, without its own id. */
export function aliasesOf(id: string, names: Iterable<string>): string[] {
  return uniqueSorted(names).filter((alias) => alias !== id)
}

/**
 * The source name an advisory uses for an installed source package.
 *
 * Ubuntu builds signed kernel images from `linux-signed*` sources whose versions equal the `linux*` source they
 * sign; advisories name the latter (e.g. `linux`, `linux-hwe-5.15`).
 */
export function advisorySourceName(source: string): string {
  return source.startsWith('linux-signed') ? `linux${source.slice('linux-signed'.length)}` : source
}

/** Sorted distinct non-empty strings. */
export function uniqueSorted(values: Iterable<string>): string[] {
  const list = Array.isArray(values) ? (values as readonly string[]) : [...values]
  // Parsers and merges mostly hand over lists that are already sorted and distinct (a CVE list of hundreds, as
  // kernel notices have): one linear check instead of a Set and a sort.
  if (isUniqueSorted(list)) return list.slice()
  return [...new Set(list.filter((v) => v.length > 0))].sort()
}

/** True when every string is non-empty and each is strictly above the previous (code-unit order, as sort()). */
function isUniqueSorted(list: readonly string[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as string
    if (v.length === 0 || (i > 0 && !((list[i - 1] as string) < v))) return false
  }
  return true
}

/**
 * The sorted distinct non-empty strings of several lists: `uniqueSorted` of their concatenation, in linear time
 * when each list is already sorted and distinct (the parsers' output) by merging them pairwise.
 */
export function unionSorted(lists: readonly (readonly string[])[]): string[] {
  let acc: string[] | undefined
  for (const l of lists) {
    if (!isUniqueSorted(l)) return uniqueSorted(lists.flat())
    acc = acc === undefined ? l.slice() : mergeTwo(acc, l)
  }
  return acc ?? []
}

function mergeTwo(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as string
    const y = b[j] as string
    if (x < y) {
      out.push(x)
      i++
    } else if (y < x) {
      out.push(y)
      j++
    } else {
      out.push(x)
      i++
      j++
    }
  }
  while (i < a.length) out.push(a[i++] as string)
  while (j < b.length) out.push(b[j++] as string)
  return out
}

/** A fresh single-copy advisory: trust from the source (signed or single-source), no conflicts yet. */
export function withSource(
  fields: Omit<Advisory, 'provenance' | 'trust' | 'conflicts'>,
  source: AdvisorySource,
): Advisory {
  return {
    ...fields,
    provenance: [source],
    trust: source.signedBy ? 'signed' : 'single-source',
    conflicts: [],
  }
}
