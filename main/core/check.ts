import type { CheckReport, MirrorSuiteStatus, Verdict } from './model'
import type { Checker } from './status/status-service'
import type { CheckProgress } from './status/status-state'

/** Polls every configured source; must settle (every fetch has a deadline) and report failures as states. */
export type PollSources = (now: number, progress: (p: CheckProgress) => void) => Promise<readonly MirrorSuiteStatus[]>

/** What one check runs. Issues 4 and 5 add the advisory channels and the assessment of this machine. */
export interface CheckerDeps {
  readonly pollMirrors: PollSources
  readonly now: () => number
}

/** The verdict and sentence of a report whose only evidence so far is the mirrors' state. */
export function summarize(mirrors: readonly MirrorSuiteStatus[]): { verdict: Verdict; summary: string; anyVerified: boolean } {
  const verified = mirrors.filter((m) => m.state === 'ok' || m.state === 'lagging')
  const alarming = mirrors.filter((m) => m.state === 'rolled-back' || m.state === 'frozen' || m.state === 'bad-signature')
  if (verified.length === 0) {
    return {
      verdict: 'unknown',
      anyVerified: false,
      summary:
        mirrors.length === 0
          ? 'No source is configured, so nothing can be verified.'
          : 'No source reachable: Lifeline could not verify any mirror right now.',
    }
  }
  if (alarming.length > 0) {
    return {
      verdict: 'alarm',
      anyVerified: true,
      summary: `${alarming.length} mirror check(s) failed in a way that may mean an attack; the others verified.`,
    }
  }
  return {
    verdict: 'safe',
    anyVerified: true,
    summary: `${verified.length} of ${mirrors.length} mirror check(s) verified against pinned Ubuntu keys.`,
  }
}

/** Builds the app's `Checker` from its sources. */
export function createChecker(deps: CheckerDeps): Checker {
  return async (now, progress): Promise<CheckReport> => {
    const mirrors = await deps.pollMirrors(now, progress)
    return { startedAt: now, finishedAt: deps.now(), mirrors, ...summarize(mirrors) }
  }
}
