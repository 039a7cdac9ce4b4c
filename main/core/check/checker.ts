/**
 * One check's parts, and the app's `Checker` built from them: the verdict, its reason and the exit code come from
 * `judge` (main/core/check/verdict.ts), the same for `lifeline check`, its JSON report and the app.
 */
import type { Assessment } from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import type { MirrorSuiteStatus } from '../model'
import type { CheckReport } from './report'
import type { Checker } from '../status/status-service'
import type { CheckProgress } from '../status/status-state'
import type { CheckCoverage } from './coverage'
import type { MitigationCheck } from './mitigations'
import { judge, type Judgement } from './verdict'

/** What one check found, before it is summarised. */
export interface CheckParts {
  readonly mirrors: readonly MirrorSuiteStatus[]
  readonly channels: readonly ChannelStatus[]
  readonly assessment?: Assessment | undefined
  /** What the check saw (absent when this computer could not be read). */
  readonly coverage?: CheckCoverage | undefined
  /** Mitigation text of advisories affecting this computer, each run through the instruction checker. */
  readonly mitigations?: readonly MitigationCheck[] | undefined
  readonly systemProblems?: readonly string[] | undefined
  readonly offline?: boolean | undefined
}

/** Runs every part of a check; must settle (every fetch has a deadline) and report failures as states. */
export type RunCheck = (now: number, progress: (p: CheckProgress) => void) => Promise<CheckParts>

/** Polls the mirrors alone (what `RunCheck` is built from in tests and the foundation). */
export type PollSources = (
  now: number,
  progress: (p: CheckProgress) => void,
) => Promise<readonly MirrorSuiteStatus[]>

/** The verdict, reason and exit code of a check's parts at reference time `now`. */
export function summarize(parts: CheckParts, now?: number): Judgement {
  return judge({ ...parts, now })
}

/** Builds the app's `Checker` from a full check. */
export function createChecker(deps: { readonly run: RunCheck; readonly now: () => number }): Checker {
  return async (now, progress): Promise<CheckReport> => {
    const parts = await deps.run(now, progress)
    const j = summarize(parts, now)
    return {
      startedAt: now,
      finishedAt: deps.now(),
      mirrors: parts.mirrors,
      channels: parts.channels,
      assessment: parts.assessment,
      coverage: parts.coverage,
      mitigations: parts.mitigations,
      systemProblems: parts.systemProblems,
      offline: parts.offline,
      anyVerified: j.anyVerified,
      verdict: j.verdict,
      verdictRow: j.row,
      exitCode: j.exitCode,
      summary: j.summary,
    }
  }
}
