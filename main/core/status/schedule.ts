/**
 * When to check next (docs/ui.md, "Background checks"). Pure: the backend feeds it each finished report and its own
 * failure counters, and arms one timer on the injected `Scheduler`.
 *
 * - default: the configured interval (hourly);
 * - every `Limits.poll.urgentIntervalMs` (15 min) while an affecting advisory has no verified fix yet;
 * - a failing source is retried sooner with its own exponential backoff (first retry after `RETRY_BASE_MS`,
 *   doubling per consecutive failure, never later than the normal interval); when nothing verified at all, the
 *   whole check backs off the same way. A failing source is never skipped within a check: freshness, rollback and
 *   conflict detection need every source's current answer (docs/ui.md, "Why a failing source is not skipped");
 * - ± `Limits.poll.jitterFraction` random jitter, so a fleet started together does not poll in lockstep.
 */
import { Limits } from '../limits'
import type { CheckReport } from '../check/report'

/** First retry of a failing source (then 2×, 4×, … up to the normal interval). */
export const RETRY_BASE_MS = 2 * 60_000

/** Consecutive failures per source key (`mirror:<id>/<suite>`, `channel:<id>`), plus the whole check's. */
export interface FailureCounts {
  readonly sources: Readonly<Record<string, number>>
  /** Consecutive checks in which nothing verified. */
  readonly check: number
}

/** No failures. */
export const NO_FAILURES: FailureCounts = { sources: {}, check: 0 }

const FAILED_MIRROR_STATES = new Set([
  'unreachable',
  'too-slow',
  'too-large',
  'stale',
  'hash-mismatch',
  'bad-signature',
])

/** Updates the failure counters from a finished report (offline reports change nothing: nothing was fetched). */
export function countFailures(prev: FailureCounts, report: CheckReport): FailureCounts {
  if (report.offline) return prev
  const sources: Record<string, number> = {}
  for (const m of report.mirrors) {
    const key = `mirror:${m.mirrorId}/${m.suite}`
    if (FAILED_MIRROR_STATES.has(m.state)) sources[key] = (prev.sources[key] ?? 0) + 1
  }
  for (const c of report.channels ?? []) {
    const key = `channel:${c.channelId}`
    if (c.state === 'failed') sources[key] = (prev.sources[key] ?? 0) + 1
  }
  return { sources, check: report.anyVerified ? 0 : prev.check + 1 }
}

/** Exponential backoff after `failures` consecutive failures, capped at `capMs`. */
export function backoffMs(failures: number, capMs: number): number {
  if (failures <= 0) return capMs
  return Math.min(capMs, Limits.poll.maxBackoffMs, RETRY_BASE_MS * 2 ** Math.min(failures - 1, 20))
}

/** Why the next check is when it is (shown in Settings/Sources and logged). */
export type ScheduleReason = 'interval' | 'urgent' | 'source-retry' | 'check-retry'

/** The next check. */
export interface NextCheck {
  readonly delayMs: number
  readonly reason: ScheduleReason
}

/**
 * Decides the delay to the next check. `random` returns [0, 1) (injected: tests pass a constant).
 */
export function nextCheck(input: {
  readonly report: CheckReport | undefined
  readonly failures: FailureCounts
  readonly intervalMs: number
  readonly random: () => number
}): NextCheck {
  const interval = Math.max(60_000, input.intervalMs)
  let delay = interval
  let reason: ScheduleReason = 'interval'
  const counts = input.report?.assessment?.counts
  if (counts && counts['no-fix-yet'] > 0 && Limits.poll.urgentIntervalMs < delay) {
    delay = Limits.poll.urgentIntervalMs
    reason = 'urgent'
  }
  if (input.failures.check > 0) {
    const d = backoffMs(input.failures.check, interval)
    if (d < delay) {
      delay = d
      reason = 'check-retry'
    }
  } else {
    for (const n of Object.values(input.failures.sources)) {
      const d = backoffMs(n, interval)
      if (d < delay) {
        delay = d
        reason = 'source-retry'
      }
    }
  }
  const jitter = (input.random() * 2 - 1) * Limits.poll.jitterFraction * delay
  return { delayMs: Math.max(1_000, Math.round(delay + jitter)), reason }
}
