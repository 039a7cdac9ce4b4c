/**
 * Which red case a check is, and what to do about it: this computer exposed with no verified fix, a source that
 * may be under attack, or both. Decided once here: the verdict's sentence (main/core/check/verdict.ts) and the
 * app's red banner (through main/node/dto.ts) say the same thing about the same mirrors.
 */
import type { Assessment } from '../assess/types'
import type { MirrorSuiteStatus, Verdict } from '../model'
import type { CheckCoverage } from './coverage'
import { isKeyBacked, isSuspiciousState } from './predicates'

/** The red cases: this computer exposed, a source under attack, both, or neither recognised. */
export type AlarmCase = 'exposed' | 'attack' | 'both' | 'other'

/** A red verdict's case and its advice in one sentence or two. */
export interface Alarm {
  readonly case: AlarmCase
  readonly advice: string
}

/** What the alarm is drawn from: the parts of a check report it reads. */
export interface AlarmInput {
  readonly verdict: Verdict
  readonly mirrors: readonly MirrorSuiteStatus[]
  readonly assessment?: Assessment | undefined
  readonly coverage?: CheckCoverage | undefined
}

/** The mirror × suite rows whose data failed verification in a way an attack would (`isSuspiciousState`). */
export function suspiciousMirrors(mirrors: readonly MirrorSuiteStatus[]): readonly MirrorSuiteStatus[] {
  return mirrors.filter((m) => isSuspiciousState(m.state))
}

/** Each suspicious mirror's name once, in the report's order. */
export function suspiciousMirrorNames(mirrors: readonly MirrorSuiteStatus[]): readonly string[] {
  return [...new Set(suspiciousMirrors(mirrors).map((m) => m.mirrorName))]
}

/**
 * True when this computer's apt reads from none of the suspicious mirrors. Only a coverage record that lists every
 * such mirror as unused may say so; when in doubt (no record, a mirror missing from it) the answer is false.
 */
export function suspiciousMirrorsUnused(
  mirrors: readonly MirrorSuiteStatus[],
  coverage: CheckCoverage | undefined,
): boolean {
  return suspiciousMirrors(mirrors).every((m) => {
    const entry = coverage?.mirrors.find((c) => c.mirrorId === m.mirrorId)
    return entry !== undefined && !entry.usedByThisMachine
  })
}

/** What to do about suspicious mirrors: nothing for a mirror apt never uses, else keep away from it. */
export function suspiciousMirrorAdvice(unused: boolean): string {
  return unused
    ? "This computer's apt does not use it, so it installed nothing from there; Lifeline ignores its data until it verifies again."
    : 'Do not install updates from it until Lifeline shows it verified again; Lifeline ignores its data meanwhile.'
}

/** The red case of a check, or null when the verdict is not `alarm`. */
export function alarmOf(input: AlarmInput): Alarm | null {
  if (input.verdict !== 'alarm') return null
  const advisories = input.assessment?.advisories ?? []
  const exposed = advisories.some((a) => a.status === 'no-fix-yet' && isKeyBacked(a.trust))
  const attack = suspiciousMirrors(input.mirrors).length > 0 || advisories.some((a) => a.trust === 'conflict')
  const alarmCase: AlarmCase = exposed && attack ? 'both' : exposed ? 'exposed' : attack ? 'attack' : 'other'
  return { case: alarmCase, advice: alarmAdvice(input, alarmCase) }
}

const EXPOSED_ADVICE = 'Follow the mitigation of the advisory below until a verified fix arrives.'

function attackAdvice(input: AlarmInput): string {
  const names = suspiciousMirrorNames(input.mirrors)
  if (names.length === 0)
    return 'Advisory sources disagree about a fix: follow only the signed one, or ask your helpdesk.'
  const keepAway = suspiciousMirrorsUnused(input.mirrors, input.coverage)
    ? `This computer's apt does not use ${names.join(' or ')}, so it installed nothing from there.`
    : `Do not install updates from ${names.join(' or ')} until Lifeline shows it verified again.`
  return `${keepAway} The other mirrors did not fail verification.`
}

function alarmAdvice(input: AlarmInput, alarmCase: AlarmCase): string {
  switch (alarmCase) {
    case 'exposed':
      return EXPOSED_ADVICE
    case 'attack':
      return attackAdvice(input)
    case 'both':
      return `${EXPOSED_ADVICE} ${attackAdvice(input)}`
    case 'other':
      return 'Open Sources and Advisories for the details.'
  }
}
