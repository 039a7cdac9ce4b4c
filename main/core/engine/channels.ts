/**
 * Reads every configured advisory channel (docs/trust.md, "Channels") and keeps, per channel, its last good
 * records: a channel that fails keeps its last verified state, marked with its age (docs/trust.md, "When a channel fails").
 */
import { applyChannelRead, type ChannelSnapshot } from '../advisories/channel-state'
import type { FeedHighWater } from '../advisories/feed-index'
import { readMboxChannel } from '../advisories/mbox'
import type { ChannelRecords, NewsItem } from '../advisories/model'
import { parseNewsFeed } from '../advisories/news'
import { readGithubOsvChannel } from '../advisories/github-osv'
import { NO_QUERY, readOsvApiChannel, type ChannelQuery } from '../advisories/osv-api'
import { readSignedFeed } from '../advisories/signed-feed'
import { readOsvChannel, readUsnApiChannel, readUsnDbChannel } from '../advisories/unsigned-channels'
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { ChannelConfig } from '../model'
import type { Fetcher } from '../ports'
import type { Keyring } from '../pgp/keyring'

/** What is kept on disk between checks for the channels. */
export interface ChannelsState {
  readonly version: 1
  readonly snapshots: Readonly<Record<string, ChannelSnapshot>>
  /** Signed feeds' high-water marks (rollback protection), by channel id. */
  readonly feeds: Readonly<Record<string, FeedHighWater>>
  readonly news: Readonly<Record<string, readonly NewsItem[]>>
}

/** The file name of `ChannelsState` in the state store. */
export const CHANNELS_STATE_NAME = 'channels'

/** How one channel stands after a check. */
export interface ChannelStatus {
  readonly channelId: string
  readonly name: string
  readonly type: ChannelConfig['type']
  /**
   * `ok`: read now; `partial`: read now with skipped records; `failed`: not read now (last good copy kept);
   * `not-read`: nothing was asked (offline, or nothing to look up), its last good copy unchanged.
   */
  readonly state: 'ok' | 'partial' | 'failed' | 'not-read'
  readonly detail: string
  readonly code?: string | undefined
  /** When it last read successfully (epoch ms). */
  readonly verifiedAt?: number | undefined
  readonly advisoryCount: number
  readonly issueCount: number
  /** Fingerprint of the pinned advisory key that signed it (signed feeds). */
  readonly signedBy?: string | undefined
}

/** What reading one channel gave. */
interface ChannelRead {
  readonly records: ChannelRecords
  readonly highWater?: FeedHighWater
  readonly signedBy?: string
  readonly news?: NewsItem[]
  /**
   * Set when the channel asked its host nothing this time (github-osv): `no-id`, no advisory id to look up;
   * `recent-copy`, every record's last good copy is recent enough to reuse.
   */
  readonly nothingAsked?: 'no-id' | 'recent-copy'
}

/** An empty channels state. */
export function emptyChannelsState(): ChannelsState {
  return { version: 1, snapshots: {}, feeds: {}, news: {} }
}

/** Checks the shape of a state read from disk; anything else starts afresh. */
export function asChannelsState(v: unknown): ChannelsState | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const s = v as Partial<ChannelsState>
  if (
    s.version !== 1 ||
    typeof s.snapshots !== 'object' ||
    typeof s.feeds !== 'object' ||
    typeof s.news !== 'object'
  ) {
    return undefined
  }
  return s as ChannelsState
}

/** Inputs of `readChannels`. */
export interface ReadChannelsInput {
  readonly channels: readonly ChannelConfig[]
  readonly keyring: Keyring
  readonly fetcher: Fetcher
  readonly now: number
  readonly previous: ChannelsState | undefined
  /**
   * What the `osv-api` channel may ask about this machine (installed source packages and release) and the ids the
   * `github-osv` channel reads; nothing is asked without it.
   */
  readonly query?: ChannelQuery | undefined
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined
}

/** Result of `readChannels`. */
export interface ReadChannelsResult {
  readonly state: ChannelsState
  readonly statuses: readonly ChannelStatus[]
}

const fetchDoc = async (fetcher: Fetcher, url: string, maxBytes: number): Promise<Uint8Array> =>
  (await fetcher({ url, maxBytes, timeoutMs: Limits.net.totalTimeoutMs, allowHttp: false })).body

/** Reads one channel; throws a CoreError when it cannot be read at all. */
async function readOne(
  ch: ChannelConfig,
  input: ReadChannelsInput,
  prevFeed: FeedHighWater | undefined,
  found: { osvIds: string[]; modified: Map<string, number> },
): Promise<ChannelRead> {
  const base = { fetcher: input.fetcher, now: input.now, channelId: ch.id }
  const first = ch.urls[0]
  if (first === undefined) throw new CoreError('ADV_CHANNEL_CONFIG', `channel ${ch.id} has no URL`)
  const previous = input.previous?.snapshots[ch.id]?.advisories ?? []
  switch (ch.type) {
    case 'osv-api': {
      const r = await readOsvApiChannel(first, { ...base, query: input.query ?? NO_QUERY, previous })
      found.osvIds.push(...r.ids)
      for (const [id, m] of r.modified) found.modified.set(id, m)
      return { records: r }
    }
    case 'github-osv': {
      // The host has no query API: read what is configured, what OSV.dev listed now, what was read before, and
      // what the signed archive's changelogs named (docs/trust.md, "Advisory channels").
      const ids = [
        ...(ch.ids ?? []),
        ...found.osvIds,
        ...previous.map((a) => a.id),
        ...(input.query ?? NO_QUERY).cves,
      ]
      const r = await readGithubOsvChannel(first, { ...base, ids, previous, modified: found.modified })
      // Nothing asked of the host (no id to look up, or every record's saved copy recent enough): not a read now,
      // so it must not count as read, or make the host look reachable, or renew the last good copy's date.
      if (r.asked === 0)
        return { records: r, nothingAsked: r.advisories.length === 0 ? 'no-id' : 'recent-copy' }
      return { records: r }
    }
    case 'osv':
      return { records: await readOsvChannel(ch.urls, base) }
    case 'usn-api':
      return { records: await readUsnApiChannel(first, base) }
    case 'usn-db':
      return { records: await readUsnDbChannel(first, base) }
    case 'signed-feed': {
      const r = await readSignedFeed(first, { ...base, keyring: input.keyring, previous: prevFeed })
      return { records: r, highWater: r.highWater, signedBy: r.signedBy }
    }
    case 'mbox': {
      const body = await fetchDoc(input.fetcher, first, Limits.advisories.mboxBytes)
      return {
        records: await readMboxChannel(body, {
          keyring: input.keyring,
          now: input.now,
          channelId: ch.id,
          url: first,
        }),
      }
    }
    case 'news': {
      const body = await fetchDoc(input.fetcher, first, Limits.advisories.newsBytes)
      return { records: { advisories: [], issues: [] }, news: parseNewsFeed(body, ch.id) }
    }
  }
}

/**
 * Reads every channel, one at a time (channels are few; mirrors are what needs concurrency). A channel that fails
 * keeps its last snapshot with the error recorded; it never fails the others.
 */
export async function readChannels(input: ReadChannelsInput): Promise<ReadChannelsResult> {
  const prev = input.previous ?? emptyChannelsState()
  const snapshots: Record<string, ChannelSnapshot> = {}
  const feeds: Record<string, FeedHighWater> = { ...prev.feeds }
  const news: Record<string, readonly NewsItem[]> = {}
  const statuses: ChannelStatus[] = []
  let done = 0
  const found = { osvIds: [] as string[], modified: new Map<string, number>() }
  // github-osv reads the ids the OSV.dev answer lists, so it comes after every other channel.
  const order = [...input.channels].sort(
    (a, b) => Number(a.type === 'github-osv') - Number(b.type === 'github-osv'),
  )
  for (const ch of order) {
    input.onProgress?.(done, input.channels.length, `Reading ${ch.name}`)
    const before = prev.snapshots[ch.id]
    try {
      const r = await readOne(ch, input, prev.feeds[ch.id], found)
      if (r.nothingAsked) {
        if (before) snapshots[ch.id] = before
        news[ch.id] = prev.news[ch.id] ?? []
        statuses.push(nothingAskedStatus(ch, before, r.nothingAsked))
        done++
        continue
      }
      const firstIssue = r.records.issues.find((i) => i.code !== 'ADV_QUERY_LIMIT')
      if (r.records.advisories.length === 0 && firstIssue && ch.type !== 'news') {
        // Nothing usable came back (e.g. the only page failed to download): that is an outage, not a partial read,
        // and must not replace the last good copy with an empty one.
        throw new CoreError(firstIssue.code, firstIssue.message)
      }
      const snap = applyChannelRead(ch.id, before, { ok: true, at: input.now, records: r.records })
      snapshots[ch.id] = snap
      if (r.highWater) feeds[ch.id] = r.highWater
      news[ch.id] = r.news ?? prev.news[ch.id] ?? []
      const issues = r.records.issues.length
      statuses.push({
        channelId: ch.id,
        name: ch.name,
        type: ch.type,
        state: issues > 0 ? 'partial' : 'ok',
        detail:
          ch.type === 'news'
            ? `${news[ch.id]?.length ?? 0} news item(s); news is never used as evidence.`
            : `${snap.advisories.length} ${snap.advisories.length === 1 ? 'advisory' : 'advisories'} read${issues > 0 ? `, ${issues} malformed record(s) skipped` : ''}.`,
        verifiedAt: input.now,
        advisoryCount: snap.advisories.length,
        issueCount: issues,
        signedBy: r.signedBy,
      })
    } catch (e) {
      // Expected failures are coded; anything else is a bug and must not pass as a channel outage.
      if (!(e instanceof CoreError)) throw e
      const code = e.code
      const message = e.message
      const snap = applyChannelRead(ch.id, before, { ok: false, at: input.now, code, message })
      snapshots[ch.id] = snap
      news[ch.id] = prev.news[ch.id] ?? []
      statuses.push({
        channelId: ch.id,
        name: ch.name,
        type: ch.type,
        state: 'failed',
        detail: snap.verifiedAt
          ? `Could not be read now (${message}); its last good copy is kept.`
          : `Could not be read (${message}).`,
        code,
        verifiedAt: snap.verifiedAt,
        advisoryCount: snap.advisories.length,
        issueCount: 0,
      })
    }
    done++
  }
  input.onProgress?.(done, input.channels.length, 'Advisory channels read')
  const position = new Map(input.channels.map((c, i) => [c.id, i]))
  statuses.sort((a, b) => (position.get(a.channelId) ?? 0) - (position.get(b.channelId) ?? 0))
  return { state: { version: 1, snapshots, feeds, news }, statuses }
}

/**
 * The status of a channel that asked its host nothing (github-osv: no advisory id from the other sources, the saved
 * copy or the archive's changelogs; or every record's saved copy recent enough): `not-read`, with its last good
 * copy and its date as they were, never "read now".
 */
function nothingAskedStatus(
  ch: ChannelConfig,
  before: ChannelSnapshot | undefined,
  why: 'no-id' | 'recent-copy',
): ChannelStatus {
  return {
    channelId: ch.id,
    name: ch.name,
    type: ch.type,
    state: 'not-read',
    detail:
      why === 'no-id'
        ? 'Nothing to look up in this check: no advisory id is known for this computer yet (from OSV.dev, a ' +
          'saved copy, or the archive changelogs of earlier checks), so nothing was asked of this site.'
        : 'Not asked in this check: the saved copy of every advisory it holds is recent enough to reuse.',
    verifiedAt: before?.verifiedAt,
    advisoryCount: before?.advisories.length ?? 0,
    issueCount: 0,
  }
}

/** The channels' statuses from saved state alone (offline mode): nothing is read. */
export function channelsFromState(
  channels: readonly ChannelConfig[],
  state: ChannelsState | undefined,
): ChannelStatus[] {
  return channels.map((ch) => {
    const snap = state?.snapshots[ch.id]
    return {
      channelId: ch.id,
      name: ch.name,
      type: ch.type,
      state: 'not-read',
      detail: snap?.verifiedAt ? 'Offline: showing the last good copy.' : 'Offline: never read.',
      verifiedAt: snap?.verifiedAt,
      advisoryCount: snap?.advisories.length ?? 0,
      issueCount: snap?.issues.length ?? 0,
    }
  })
}
