/**
 * The check's named predicates: each question ("did this mirror verify?", "is this advisory backed by a pinned
 * key?") is answered here once, so the verdict, the exit code, the JSON report and the app cannot drift apart.
 */
import type { AdvisoryTrust } from '../advisories/model'
import type { AssessmentStatus, SecurityUpdate } from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import { isVerifiedState } from '../apt/suite-state'
import type { MirrorSuiteState } from '../model'

export { isVerifiedState }

/**
 * A mirror × suite whose signed data is authentic, current or not: a verified state, or `stale` (reached and
 * verified, but older than the last-resort maximum age; docs/trust.md "Freshness"). Old is not forged: its
 * versions are still offered, with their age; only "safe" needs a current pocket.
 */
export function isAuthenticState(state: MirrorSuiteState): boolean {
  return isVerifiedState(state) || state === 'stale'
}

/** Mirror states that may mean an attack: they alarm even when no installed package is affected. */
export const SUSPICIOUS_MIRROR_STATES: ReadonlySet<MirrorSuiteState> = new Set([
  'rolled-back',
  'frozen',
  'bad-signature',
  'hash-mismatch',
  'wrong-suite',
])

/** A mirror state that may mean an attack (`SUSPICIOUS_MIRROR_STATES`). */
export function isSuspiciousState(state: MirrorSuiteState): boolean {
  return SUSPICIOUS_MIRROR_STATES.has(state)
}

/**
 * Trust that reaches a pinned key: `signed` (a pinned advisory key) or `archive-confirmed` (the signed archive's
 * changelog names the CVE). Only key-backed evidence moves the verdict and the exit code (docs/trust.md).
 */
export function isKeyBacked(trust: AdvisoryTrust): boolean {
  return trust === 'signed' || trust === 'archive-confirmed'
}

/**
 * An advisory channel that answered in this check: `ok`, or `partial` (read, some records skipped). A `failed`
 * channel only keeps its last good copy; a `not-read` one was not asked (offline).
 */
export function isChannelRead(state: ChannelStatus['state']): boolean {
  return state === 'ok' || state === 'partial'
}

/**
 * An advisory that concerns this computer now: anything but `fixed` and `not-affected` (a fix waits, none exists
 * yet, a restart is pending or Livepatch covers it until the fixed kernel is installed).
 */
export function affectsThisComputer(status: AssessmentStatus): boolean {
  return status !== 'fixed' && status !== 'not-affected'
}

/** True when `suite` belongs to the release `codename` (the release pocket or one of its `-` pockets). */
export function isSuiteOfRelease(suite: string, codename: string | undefined): boolean {
  return codename !== undefined && codename !== '' && (suite === codename || suite.startsWith(`${codename}-`))
}

/**
 * An archive update that is only the install of Livepatch-covered advisories: every advisory naming it is covered,
 * and so is every CVE the archive's changelog names for it (a kernel upload often fixes more than one notice says).
 */
export function isCoveredUpdate(
  u: SecurityUpdate,
  coveredAdvisories: ReadonlySet<string>,
  livepatchCves: ReadonlySet<string>,
): boolean {
  return (
    u.advisoryIds.length > 0 &&
    u.advisoryIds.every((id) => coveredAdvisories.has(id)) &&
    u.cves.every((c) => livepatchCves.has(c))
  )
}
