import { CoreError } from '../errors'
import type { CheckReport } from '../check/report'
import type { Clock, Logger } from '../ports'
import { silentLogger } from '../ports'
import { lastGoodReport, latestReport, Status, type CheckProgress, type StatusState } from './status-state'

/** Runs one complete check. Reports progress; must settle (every fetch it makes has a deadline). */
export type Checker = (now: number, progress: (p: CheckProgress) => void) => Promise<CheckReport>

/** A state snapshot with its revision, as published to listeners. */
export interface StatusSnapshot {
  readonly revision: number
  readonly state: StatusState
}

/**
 * Owns the `StatusState` and its transitions. Never runs two checks at once: a second `checkNow` while one runs
 * joins the running one.
 */
export class StatusService {
  private state: StatusState = Status.Starting()
  private revision = 0
  private running: Promise<StatusSnapshot> | undefined
  private readonly listeners = new Set<(s: StatusSnapshot) => void>()

  constructor(
    private readonly checker: Checker,
    private readonly clock: Clock,
    private readonly log: Logger = silentLogger,
    initial?: CheckReport,
  ) {
    if (initial)
      this.state = initial.anyVerified ? Status.Ready(initial) : Status.NoSource(initial, undefined)
  }

  /** The current snapshot. */
  snapshot(): StatusSnapshot {
    return { revision: this.revision, state: this.state }
  }

  /** Subscribes to every state change; returns the unsubscribe function. */
  subscribe(listener: (s: StatusSnapshot) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Whether a check is running now. */
  get busy(): boolean {
    return this.running !== undefined
  }

  /** Starts a check, or returns the one already running. Resolves with the snapshot after it. */
  checkNow(): Promise<StatusSnapshot> {
    if (this.running) return this.running
    const run = this.run().finally(() => {
      this.running = undefined
    })
    this.running = run
    return run
  }

  private async run(): Promise<StatusSnapshot> {
    const startedAt = this.clock.now()
    const previous = latestReport(this.state)
    const lastGood = lastGoodReport(this.state)
    this.set(Status.Checking(startedAt, previous))
    try {
      const report = await this.checker(startedAt, (p) => this.set(Status.Checking(startedAt, previous, p)))
      this.set(report.anyVerified ? Status.Ready(report) : Status.NoSource(report, lastGood))
    } catch (e) {
      // A checker must turn expected failures into mirror states; reaching here is a bug, but the app keeps its
      // last good state rather than going blank.
      const message = e instanceof CoreError ? `${e.code}: ${e.message}` : String(e)
      this.log.error('check failed', { message })
      const now = this.clock.now()
      const report: CheckReport = {
        startedAt,
        finishedAt: now,
        mirrors: [],
        anyVerified: false,
        verdict: 'unknown',
        summary: 'The check failed unexpectedly. Lifeline shows the last verified state.',
      }
      this.set(Status.NoSource(report, lastGood))
    }
    return this.snapshot()
  }

  private set(state: StatusState): void {
    this.state = state
    this.revision += 1
    const snap = this.snapshot()
    for (const l of this.listeners) l(snap)
  }
}
