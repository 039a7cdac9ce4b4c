/**
 * How the assessment orders things: versions (dpkg order that never throws), strings, statuses, priorities and
 * trust, and a small stable in-place sort. Every ordering in the report goes through here, so the same input
 * always gives the same output.
 */
import type { AdvisoryTrust } from '../advisories/model'
import { compareDebianVersions } from '../apt/version'
import type { AssessmentStatus, InstallTarget } from './types'

/** Severity of a status, most urgent highest: an advisory takes the worst status over its packages. */
export const STATUS_RANK: Readonly<Record<AssessmentStatus, number>> = {
  'not-affected': 0,
  fixed: 1,
  livepatched: 2,
  'fixed-pending-reboot': 3,
  'fix-available': 4,
  'fix-on-other-mirror': 5,
  'no-fix-yet': 6,
}

/** Ubuntu CVE priorities, most urgent first (Ubuntu CVE tracker "Priority"); unknown last. */
export const PRIORITY_RANK: Readonly<Record<string, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  negligible: 4,
}

/**
 * Trust, strongest first (docs/trust.md, points 4-5). A `conflict` sorts before `single-source` so that a
 * disagreement between channels is seen, not buried.
 */
export const TRUST_RANK: Readonly<Record<AdvisoryTrust, number>> = {
  signed: 0,
  'archive-confirmed': 1,
  corroborated: 2,
  conflict: 3,
  'single-source': 4,
}

/** dpkg ordering that never throws: an invalid version compares as undefined. */
export function tryCompareVersions(a: string, b: string): number | undefined {
  try {
    return compareDebianVersions(a, b)
  } catch {
    return undefined
  }
}

/** dpkg ordering for sorting; when either version is invalid, plain string order, so sorting never throws. */
export function compareVersionsForSort(a: string, b: string): number {
  return tryCompareVersions(a, b) ?? compareStrings(a, b)
}

/** Plain code-unit order (not locale order: the report must not depend on the machine's locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Install targets by package, then architecture. */
export function compareInstallTargets(a: InstallTarget, b: InstallTarget): number {
  return compareStrings(a.package, b.package) || compareStrings(a.arch, b.arch)
}

/**
 * Sorts in place, stably, like `Array.prototype.sort`, without its temporary copy for the short arrays that
 * every advisory's plan has (at 10,000 advisories, allocation is the main cost of an assessment).
 */
export function sortSmall<T>(items: T[], compare: (x: T, y: T) => number): T[] {
  if (items.length > 12) return items.sort(compare)
  for (let i = 1; i < items.length; i++) {
    const value = items[i] as T
    let j = i - 1
    while (j >= 0 && compare(items[j] as T, value) > 0) {
      items[j + 1] = items[j] as T
      j--
    }
    items[j + 1] = value
  }
  return items
}
