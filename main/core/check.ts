import { checkExitCode } from './assess/exit-code'
import type { Assessment } from './assess/types'
import type { ChannelStatus } from './engine/channels'
import type { CheckReport, MirrorSuiteState, MirrorSuiteStatus, Verdict } from './model'
import type { Checker } from './status/status-service'
import type { CheckProgress } from './status/status-state'

/** What one check found, before it is summarised. */
export interface CheckParts {
  readonly mirrors: readonly MirrorSuiteStatus[]
  readonly channels: readonly ChannelStatus[]
  readonly assessment?: Assessment | undefined
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

/** Mirror states that may mean an attack: they alarm even when no installed package is affected (issue 7). */
export const SUSPICIOUS_MIRROR_STATES: ReadonlySet<MirrorSuiteState> = new Set([
  'rolled-back',
  'frozen',
  'bad-signature',
  'hash-mismatch',
  'wrong-suite',
])

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** The verdict and the overview's one sentence, from everything a check found. */
export function summarize(parts: CheckParts): { verdict: Verdict; summary: string; anyVerified: boolean } {
  const { mirrors, channels, assessment } = parts
  const verifiedMirrors = mirrors.filter((m) => m.state === 'ok' || m.state === 'lagging')
  const signedAdvisories = assessment?.advisories.some(
    (a) => a.trust === 'signed' || a.trust === 'archive-confirmed',
  )
  const anyVerified = verifiedMirrors.length > 0 || signedAdvisories === true
  const suspicious = mirrors.filter((m) => SUSPICIOUS_MIRROR_STATES.has(m.state))
  const conflicts =
    assessment?.advisories.filter((a) => a.trust === 'conflict' && a.status !== 'not-affected') ?? []
  if (!anyVerified) {
    const channelNote = channels.some((c) => c.state === 'ok' || c.state === 'partial')
      ? ' Advisory websites answered, but nothing they say can be checked against a verified mirror.'
      : ''
    return {
      verdict: 'unknown',
      anyVerified,
      summary:
        mirrors.length === 0
          ? 'No mirror is configured, so nothing can be verified.'
          : `No source reachable: Lifeline could not verify any mirror right now.${channelNote}`,
    }
  }
  if (suspicious.length > 0) {
    const names = [...new Set(suspicious.map((m) => m.mirrorName))].join(', ')
    return {
      verdict: 'alarm',
      anyVerified,
      summary: `Possible attack: ${names} served data that failed verification (${suspicious[0]?.state}). Do not use it until this clears.`,
    }
  }
  if (conflicts.length > 0) {
    return {
      verdict: 'alarm',
      anyVerified,
      summary: `Advisory sources disagree about ${plural(conflicts.length, 'fix', 'fixes')} (${conflicts[0]?.id}): one of them may be fake.`,
    }
  }
  if (!assessment) {
    // Verified mirrors say nothing about this machine if its packages cannot be read: not "safe".
    return {
      verdict: 'unknown',
      anyVerified,
      summary: `${plural(verifiedMirrors.length, 'mirror')} verified, but this computer's packages could not be read, so Lifeline cannot tell whether it is affected.`,
    }
  }
  const code = checkExitCode(assessment)
  const c = assessment.counts
  if (code === 1) {
    const n = c['fix-available'] + c['fix-on-other-mirror'] + c['fixed-pending-reboot']
    const updates = assessment.securityUpdates.filter((u) => u.onUsedMirror).length
    return {
      verdict: 'attention',
      anyVerified,
      summary:
        n > 0
          ? `${plural(n, 'security advisory', 'security advisories')} affect${n === 1 ? 's' : ''} this computer, and a verified fix is ready.`
          : `${plural(updates, 'verified security update')} from the archive ${updates === 1 ? 'is' : 'are'} ready to install.`,
    }
  }
  if (code === 2) {
    return {
      verdict: 'alarm',
      anyVerified,
      summary: `This computer is affected by ${plural(c['no-fix-yet'], 'advisory', 'advisories')} with no verified fix yet. Follow the mitigation.`,
    }
  }
  return {
    verdict: 'safe',
    anyVerified,
    summary: `Nothing to do: ${plural(assessment.advisories.length, 'advisory', 'advisories')} for this release checked; ${plural(verifiedMirrors.length, 'mirror')} verified.`,
  }
}

/** Builds the app's `Checker` from a full check. */
export function createChecker(deps: { readonly run: RunCheck; readonly now: () => number }): Checker {
  return async (now, progress): Promise<CheckReport> => {
    const parts = await deps.run(now, progress)
    return {
      startedAt: now,
      finishedAt: deps.now(),
      mirrors: parts.mirrors,
      channels: parts.channels,
      assessment: parts.assessment,
      systemProblems: parts.systemProblems,
      offline: parts.offline,
      ...summarize(parts),
    }
  }
}

/** A `RunCheck` over mirrors alone (no channels, no machine): for tests and minimal setups. */
export function mirrorsOnly(poll: PollSources): RunCheck {
  return async (now, progress) => ({ mirrors: await poll(now, progress), channels: [] })
}
