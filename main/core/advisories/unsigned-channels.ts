/**
 * Readers of the unsigned channels (`osv`, `usn-api`, `usn-db`) over the Fetcher port.
 *
 * Unsigned content gets transport integrity only, so plain `http:` is refused (`allowHttp: false`; loopback stays
 * allowed for tests and the outage lab), every download is capped at Limits.size.advisoryBytes and bounded by
 * Limits.net.totalTimeoutMs. A document that fails is an issue; the channel's other documents still count.
 */
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { Fetcher } from '../ports'
import type { Advisory, ChannelRecords, RecordIssue } from './model'
import { parseOsvUsn } from './osv'
import { toIssue } from './parse-util'
import { parseUsnApiPage } from './usn-api'
import { parseUsnDb } from './usn-db'

/** What every unsigned reader needs. */
export interface UnsignedReadOptions {
  readonly fetcher: Fetcher
  readonly now: number
  readonly channelId: string
}

async function get(fetcher: Fetcher, url: string): Promise<Uint8Array> {
  const res = await fetcher({
    url,
    maxBytes: Limits.size.advisoryBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    allowHttp: false,
  })
  return res.body
}

/** Reads OSV documents from a list of URLs (one advisory each). Per-URL failures become issues. */
export async function readOsvChannel(
  urls: readonly string[],
  opts: UnsignedReadOptions,
): Promise<ChannelRecords> {
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  for (const url of urls) {
    try {
      const body = await get(opts.fetcher, url)
      advisories.push(
        parseOsvUsn(body, { channelId: opts.channelId, channelType: 'osv', url, fetchedAt: opts.now }),
      )
    } catch (e) {
      const record = e instanceof CoreError && typeof e.details.record === 'string' ? e.details.record : url
      issues.push(toIssue(opts.channelId, record, e))
    }
  }
  return { advisories, issues }
}

/**
 * Reads the notices API from `notices.json` at `baseUrl` (e.g. `https://ubuntu.com/security/notices.json`),
 * page by page (`offset`, `limit`), up to `maxNotices` notices and Limits.advisories.apiMaxPages pages. A page that
 * fails ends the read with an issue; the pages before it count.
 */
export async function readUsnApiChannel(
  baseUrl: string,
  opts: UnsignedReadOptions & { readonly maxNotices?: number; readonly pageSize?: number },
): Promise<ChannelRecords> {
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  const limit = opts.pageSize ?? 20
  let offset: number | undefined = 0
  for (let page = 0; offset !== undefined && page < Limits.advisories.apiMaxPages; page++) {
    if (opts.maxNotices !== undefined && advisories.length >= opts.maxNotices) break
    const url = new URL(baseUrl)
    url.searchParams.set('offset', String(offset))
    url.searchParams.set('limit', String(limit))
    try {
      const body = await get(opts.fetcher, url.href)
      const p = parseUsnApiPage(body, {
        channelId: opts.channelId,
        channelType: 'usn-api',
        url: url.href,
        fetchedAt: opts.now,
      })
      advisories.push(...p.advisories)
      issues.push(...p.issues)
      offset = p.nextOffset
    } catch (e) {
      issues.push(toIssue(opts.channelId, url.href, e))
      break
    }
  }
  return { advisories, issues }
}

/** Reads a usn-db `database.json`. A download or whole-document failure throws; a bad notice is an issue. */
export async function readUsnDbChannel(url: string, opts: UnsignedReadOptions): Promise<ChannelRecords> {
  const body = await get(opts.fetcher, url)
  return parseUsnDb(body, { channelId: opts.channelId, channelType: 'usn-db', url, fetchedAt: opts.now })
}
