/**
 * The last verified state of one advisory channel, and how a new read updates it (docs/trust.md, "6. When a channel fails"):
 * a record that fails keeps its last good copy; a channel that fails entirely keeps its last state, with its age.
 */
import type { ErrorCode } from '../error-codes'
import type { Advisory, ChannelRecords, RecordIssue } from './model'

/** What is kept (JSON-safe) per channel between polls. */
export interface ChannelSnapshot {
  readonly channelId: string
  /** When the channel last read successfully; undefined if it never did. */
  readonly verifiedAt: number | undefined
  readonly advisories: readonly Advisory[]
  /** Issues of the last read, with the records that were kept from before marked in `keptFromBefore`. */
  readonly issues: readonly RecordIssue[]
  /** Ids whose copy is the last good one from an earlier read, because this read's copy was malformed. */
  readonly keptFromBefore: readonly string[]
  /** The failure of the last read, when it failed entirely. */
  readonly lastError?: { readonly code: ErrorCode; readonly message: string; readonly at: number } | undefined
}

/** The outcome of one channel read. */
export type ChannelReadOutcome =
  | { readonly ok: true; readonly at: number; readonly records: ChannelRecords }
  | { readonly ok: false; readonly at: number; readonly code: ErrorCode; readonly message: string }

/**
 * Applies a read to the previous snapshot. A successful read replaces the records, except that a record reported
 * malformed this time keeps its previous good copy. A failed read keeps everything and records the error.
 */
export function applyChannelRead(
  channelId: string,
  previous: ChannelSnapshot | undefined,
  outcome: ChannelReadOutcome,
): ChannelSnapshot {
  if (!outcome.ok) {
    return {
      channelId,
      verifiedAt: previous?.verifiedAt,
      advisories: previous?.advisories ?? [],
      issues: previous?.issues ?? [],
      keptFromBefore: previous?.keptFromBefore ?? [],
      lastError: { code: outcome.code, message: outcome.message, at: outcome.at },
    }
  }
  const fresh = new Map(outcome.records.advisories.map((a) => [a.id, a]))
  const kept: string[] = []
  for (const issue of outcome.records.issues) {
    const old = previous?.advisories.find((a) => a.id === issue.record)
    if (old && !fresh.has(old.id)) {
      fresh.set(old.id, old)
      kept.push(old.id)
    }
  }
  return {
    channelId,
    verifiedAt: outcome.at,
    advisories: [...fresh.values()],
    issues: outcome.records.issues,
    keptFromBefore: kept,
    lastError: undefined,
  }
}

/** How old the channel's state is at `now` (ms), or undefined if it never read successfully. */
export function channelAge(snapshot: ChannelSnapshot, now: number): number | undefined {
  return snapshot.verifiedAt === undefined ? undefined : Math.max(0, now - snapshot.verifiedAt)
}
