/**
 * Downloading OSV records one id at a time, for the `osv-api` and `github-osv` channels: bounded (per-record cap
 * and deadline from Limits, a per-check number of downloads), a few at once, cached by the record's `modified`
 * date, and each answer checked to be the record that was asked for.
 */
import { isCodeOf } from '../error-codes'
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { Fetcher } from '../ports'
import type { Advisory, AdvisoryErrorCode, ChannelRecords, ChannelType, RecordIssue } from './model'
import { parseOsvUsn } from './osv'
import { toIssue } from './parse-util'

/** One record to read: its id, where, and (when the channel's index says) its `modified` time in epoch ms. */
export interface RecordRequest {
  readonly id: string
  readonly url: string
  readonly modified?: number | undefined
}

/** What `fetchOsvRecords` needs. */
export interface FetchRecordsOptions {
  readonly fetcher: Fetcher
  readonly now: number
  readonly channelId: string
  readonly channelType: ChannelType
  /** The channel's last good records: reused when still current (same id, `modified` not newer). */
  readonly previous: readonly Advisory[]
}

/**
 * A transport failure other than a missing record (`NET_NOT_FOUND`) says the host itself is down or misbehaving:
 * the read stops there, so a black-holed host costs one deadline and an endless or oversized one one capped
 * download, not one per record.
 */
function hostFailed(e: CoreError): boolean {
  return isCodeOf('net', e.code) && e.code !== 'NET_NOT_FOUND'
}

/** What `fetchOsvRecords` gives: the records, plus how many it asked the host for (0: all from the last good copy). */
export interface FetchedRecords extends ChannelRecords {
  readonly asked: number
}

/**
 * Reads the requested records. A record that fails is an issue and the others still count; a host that stops
 * answering ends the read with the error (the channel keeps its last good copy). Records over
 * Limits.advisories.osvMaxRecordFetchesPerCheck downloads are left for the next check (one ADV_QUERY_LIMIT issue)
 * and keep their last good copy meanwhile.
 */
export async function fetchOsvRecords(
  requests: readonly RecordRequest[],
  opts: FetchRecordsOptions,
): Promise<FetchedRecords> {
  const byId = new Map(opts.previous.map((a) => [a.id, a]))
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  const toFetch: RecordRequest[] = []
  for (const r of requests) {
    const old = byId.get(r.id)
    // Cached: the index dates the record and the last good copy is at least that recent; or nothing dates it and
    // the last good copy is younger than Limits.advisories.undatedRecordMaxAgeMs.
    const fresh =
      old !== undefined &&
      (r.modified !== undefined
        ? old.modified !== undefined && old.modified >= r.modified
        : (old.provenance[0]?.fetchedAt ?? 0) >= opts.now - Limits.advisories.undatedRecordMaxAgeMs)
    if (old && fresh) {
      advisories.push(old)
      continue
    }
    toFetch.push(r)
  }
  const budget = Limits.advisories.osvMaxRecordFetchesPerCheck
  const batch = toFetch.slice(0, budget)
  const later = toFetch.slice(budget)
  for (const r of later) {
    const old = byId.get(r.id)
    if (old) advisories.push(old)
  }
  if (later.length > 0) {
    issues.push({
      channelId: opts.channelId,
      record: later[0]?.id ?? '',
      field: '(root)',
      code: 'ADV_QUERY_LIMIT' satisfies AdvisoryErrorCode,
      message: `${later.length} more record(s) than one check reads (${budget}); they are read at the next check`,
    })
  }
  let hostDown: CoreError | undefined
  let next = 0
  const worker = async (): Promise<void> => {
    while (hostDown === undefined) {
      const r = batch[next++]
      if (!r) return
      try {
        const res = await opts.fetcher({
          url: r.url,
          maxBytes: Limits.size.advisoryBytes,
          timeoutMs: Limits.net.totalTimeoutMs,
          allowHttp: false,
        })
        const adv = parseOsvUsn(res.body, {
          channelId: opts.channelId,
          channelType: opts.channelType,
          url: r.url,
          fetchedAt: opts.now,
        })
        if (adv.id !== r.id) {
          // The host answered another record than the one asked for: never file it under either id.
          throw new CoreError<AdvisoryErrorCode>(
            'ADV_ID_MISMATCH',
            `${r.url} was asked for ${r.id} but holds ${adv.id}`,
            { channel: opts.channelId, record: r.id, field: 'id' },
          )
        }
        advisories.push(adv)
      } catch (e) {
        if (e instanceof CoreError && hostFailed(e)) {
          hostDown ??= e
          return
        }
        issues.push(toIssue(opts.channelId, r.id, e))
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(Limits.advisories.osvConcurrency, batch.length) }, worker))
  if (hostDown) throw hostDown
  return { advisories, issues, asked: batch.length }
}
