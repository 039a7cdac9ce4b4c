/**
 * What one poll shares between its mirror × suite jobs (`poller.ts`): its settings, the pieces already stored,
 * the pieces being fetched, and the byte counts. Also what one mirror × suite job has learnt so far.
 */
import { Semaphore } from '../concurrency'
import { Limits } from '../limits'
import type { MirrorConfig } from '../model'
import type { FetchResponse, Fetcher, IndexStore } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { fetchArchiveFile } from './archive-fetch'
import type { IndexDecompression } from './index-fetch'
import type { IndexRecord, MirrorsState } from './mirror-state'
import type { ReleaseInfo } from './release'

/** What a poll knows of a stored compact piece, to reference it without reading it. */
export type PieceInfo = Pick<IndexRecord, 'entries' | 'compactSha256' | 'compactBytes'>

/** The settings of one poll, resolved from its input. */
export interface PollSettings {
  /** The one reference time of this poll (epoch ms). */
  readonly now: number
  /** Pinned keys; only `archive` keys may sign a Release. */
  readonly keyring: Keyring
  /** Maximum Release age by suite. */
  readonly maxAgeMs: (suite: string) => number
  readonly fetcher: Fetcher
  readonly decompress: IndexDecompression
  /** Where compact pieces are stored. */
  readonly indexes: IndexStore
  readonly signal: AbortSignal | undefined
}

/** One poll's shared state: its settings and what its jobs have stored, are fetching and have downloaded. */
export interface PollContext extends PollSettings {
  /** Body bytes received over the whole poll. */
  bytes: number
  /** Pieces known to be stored (from the previous state and this poll), by key. */
  readonly known: Map<string, PieceInfo>
  /** Pieces being fetched right now, by key: a second mirror serving the same index waits for the first. */
  readonly inflight: Map<string, Promise<PieceInfo>>
  /** Bytes of the distinct pieces known, against `Limits.size.compactTotalBytes`. */
  storedBytes: number
  /** Bounds the indexes fetched and decoded at once (`Limits.net.indexConcurrency`): peak memory. */
  readonly indexSlots: Semaphore
}

/** A poll's context: the pieces the previous state references count as stored (and against the total cap). */
export function createPollContext(settings: PollSettings, previous: MirrorsState | undefined): PollContext {
  const known = new Map<string, PieceInfo>()
  for (const rec of Object.values(previous?.suites ?? {})) {
    for (const i of Object.values(rec.indexes)) known.set(i.sha256, i)
  }
  let storedBytes = 0
  for (const p of known.values()) storedBytes += p.compactBytes
  return {
    ...settings,
    bytes: 0,
    known,
    inflight: new Map(),
    storedBytes,
    indexSlots: new Semaphore(Limits.net.indexConcurrency),
  }
}

/** One mirror × suite being polled: where it is, what it has verified so far, and what it cost. */
export interface SuiteAttempt {
  readonly mirror: MirrorConfig
  readonly suite: string
  /** The mirror URL without trailing slashes. */
  readonly base: string
  /** The URL being fetched: the one a failure is reported against. */
  url: string
  /** The Release, once parsed from verified text. */
  release?: ReleaseInfo | undefined
  /** Fingerprint of the pinned key that signed the Release, once verified. */
  signedBy?: string | undefined
  /** The rollback mark: raised by a verified, checked Release even when an index below it fails. */
  highWater: number | undefined
  /** Body bytes received for this mirror × suite. */
  bytes: number
}

/** Fetches an archive file for `attempt`, counting its bytes for the attempt and the whole poll. */
export async function fetchCounted(
  ctx: PollContext,
  attempt: SuiteAttempt,
  url: string,
  maxBytes: number,
  validators?: { readonly etag?: string | undefined; readonly lastModified?: string | undefined },
): Promise<FetchResponse> {
  const res = await fetchArchiveFile(ctx.fetcher, {
    url,
    maxBytes,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    signal: ctx.signal,
  })
  attempt.bytes += res.bytesTransferred
  ctx.bytes += res.bytesTransferred
  return res
}
