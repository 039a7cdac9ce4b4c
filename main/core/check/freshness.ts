/**
 * The one freshness rule, shared by `lifeline check`, `lifeline mirrors` and the app (docs/trust.md, "Freshness").
 *
 * Old is not forged: a mirror whose signed Release is old can hide newer fixes but cannot invent one. So the poller
 * is asked to verify Releases of any age, and age is judged here, after the poll:
 *
 * 1. the main signal is `lagging`: a mirror's Release is older than the newest verified one for the same suite
 *    from another mirror (the poller computes it);
 * 2. the last resort, for a pocket without `Valid-Until` (Ubuntu sets none), is an absolute maximum age of its
 *    signed `Date` (policy `maxAgeHours`, else `Limits.time`); past it the mirror is `stale`: reached and verified,
 *    its versions still offered with their age, but never enough to say "safe".
 *
 * A release pocket (a bare codename such as `noble`) has no maximum age: Ubuntu signs it once, on release day.
 */
import { maxAgeFor } from '../apt/release'
import { describeDuration } from '../time-format'
import type { MaxAgeConfig, MirrorSuiteStatus } from '../model'
import { isVerifiedState } from './predicates'

/** Maximum age (ms) of a suite's signed Release `Date` before it counts as stale. */
export type MaxAgeRule = (suite: string) => number

/**
 * The maximum-age rule for a configuration: the policy's `maxAgeHours` when set, else the defaults of
 * `maxAgeFor` (main/core/apt/release.ts). The release pocket never has one, whatever the policy says.
 */
export function maxAgeRule(maxAge?: MaxAgeConfig | undefined): MaxAgeRule {
  return maxAge ? (suite) => maxAgeFor(suite, maxAge) : (suite) => maxAgeFor(suite)
}

/**
 * What the check hands the poller: verify Releases of any age (signature, suite, rollback and Valid-Until still
 * apply), so that an old but authentic pocket is kept and offered; `applyFreshness` judges the age afterwards.
 */
export const ANY_AGE: MaxAgeRule = () => Number.POSITIVE_INFINITY

/**
 * Marks verified mirror × suites whose signed `Date` is older than the rule allows as `stale` ("reached, but old"),
 * keeping their Release date, signer and lag. A Release with `Valid-Until` is judged by it alone (the poller
 * rejects a passed one as `frozen`).
 */
export function applyFreshness(
  statuses: readonly MirrorSuiteStatus[],
  now: number,
  rule: MaxAgeRule,
): MirrorSuiteStatus[] {
  return statuses.map((s) => {
    if (!isVerifiedState(s.state) || s.releaseDate === undefined || s.validUntil !== undefined) return s
    const age = now - s.releaseDate
    const max = rule(s.suite)
    if (!(age > max)) return s
    return {
      ...s,
      state: 'stale',
      code: 'APT_STALE',
      detail:
        `Reached and verified, but its ${s.suite} index was signed ${describeDuration(age)} ago ` +
        `(${new Date(s.releaseDate).toISOString()}), longer than the ${describeDuration(max)} Lifeline accepts ` +
        'as current: its versions are still offered, but fixes published since cannot be seen.',
    }
  })
}
