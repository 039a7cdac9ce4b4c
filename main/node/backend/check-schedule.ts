import type { CheckReport } from '../../core/check/report'
import type { Clock, Logger, Scheduler } from '../../core/ports'
import {
  countFailures,
  NO_FAILURES,
  nextCheck,
  type FailureCounts,
  type NextCheck,
} from '../../core/status/schedule'
import type { StatusService } from '../../core/status/status-service'
import { latestReport } from '../../core/status/status-state'

/** A network or resume event within this long of the last check start does not start another. */
export const KICK_MIN_GAP_MS = 10_000

/** The next scheduled check, with its epoch-ms time. */
export type ScheduledCheck = NextCheck & { readonly at: number }

/**
 * When the app checks: at start, then on the timer `nextCheck` (main/core/status/schedule.ts) arms after each
 * check, and at once after a resume or a network change (bursts ignored).
 */
export interface CheckSchedule {
  /** Checks now, then on the schedule. */
  start(): void
  /** Stops the timer. A running check finishes on its own deadlines. */
  stop(): void
  /** Re-checks now after a resume or a network change, unless a check runs or one started within KICK_MIN_GAP_MS. */
  kick(reason: 'resume' | 'online'): void
  /** Counts a finished check's failures (for the back-off) and arms the next check. */
  checkFinished(report: CheckReport): void
  /** Arms the next check again (the interval changed). */
  rearm(): void
  /** The next scheduled check, if any. */
  next(): ScheduledCheck | undefined
}

/** What the schedule needs. */
export interface CheckScheduleOptions {
  readonly status: StatusService
  readonly clock: Clock
  readonly scheduler: Scheduler
  readonly log: Logger
  /** [0, 1) for the schedule's jitter. */
  readonly random: () => number
  /** The interval between checks when all is well (the user's setting unless a policy locks it). */
  readonly intervalMs: () => number
}

/** A stopped schedule; `start` starts it. */
export function createCheckSchedule(opts: CheckScheduleOptions): CheckSchedule {
  const { status, clock } = opts
  let timer: { cancel(): void } | undefined
  let scheduled: ScheduledCheck | undefined
  let stopped = true
  let failures: FailureCounts = NO_FAILURES
  let lastStart = Number.NEGATIVE_INFINITY

  const disarm = (): void => {
    timer?.cancel()
    timer = undefined
    scheduled = undefined
  }
  const runCheck = (): Promise<unknown> => {
    if (!status.busy) lastStart = clock.now()
    return status.checkNow()
  }
  const rearm = (): void => {
    disarm()
    if (stopped) return
    const next = nextCheck({
      report: latestReport(status.snapshot().state),
      failures,
      intervalMs: opts.intervalMs(),
      random: opts.random,
    })
    scheduled = { ...next, at: clock.now() + next.delayMs }
    timer = opts.scheduler.setTimeout(() => void runCheck(), next.delayMs)
  }
  return {
    start() {
      stopped = false
      void runCheck()
    },
    stop() {
      stopped = true
      disarm()
    },
    kick(reason) {
      if (stopped || status.busy) return
      if (clock.now() - lastStart < KICK_MIN_GAP_MS) return
      opts.log.info(`re-checking after ${reason}`)
      void runCheck()
    },
    checkFinished(report) {
      failures = countFailures(failures, report)
      rearm()
    },
    rearm,
    next: () => scheduled,
  }
}
