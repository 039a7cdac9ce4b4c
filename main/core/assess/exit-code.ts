/**
 * The `lifeline check` exit code, for monitoring and fleet tools (issue 5; the same use as `pro fix`'s codes).
 */
import type { Assessment } from './types'

/** 0 nothing to do, 1 a verified fix is available, 2 affected with no verified fix, 3 nothing could be verified. */
export type CheckExitCode = 0 | 1 | 2 | 3

/**
 * Maps an assessment to its exit code.
 *
 * 3 when no mirror verified and no advisory is signed or archive-confirmed (nothing Lifeline says is backed by a
 * pinned key); 1 when some verified fix can be applied (an advisory fix, an archive security update on a used
 * mirror, or a pending reboot into a fixed kernel); 2 when affected with no verified fix; 0 otherwise.
 */
export function checkExitCode(a: Assessment): CheckExitCode {
  const anyVerifiedAdvisory = a.advisories.some(
    (x) => x.trust === 'signed' || x.trust === 'archive-confirmed',
  )
  if (!a.mirrorsVerified && !anyVerifiedAdvisory) return 3
  const actionable =
    a.advisories.some(
      (x) =>
        x.status === 'fix-available' ||
        x.status === 'fix-on-other-mirror' ||
        x.status === 'fixed-pending-reboot' ||
        x.packages.some((p) => p.upgrades.length > 0 || p.newInstalls.length > 0),
    ) || a.securityUpdates.some((u) => u.onUsedMirror)
  if (actionable) return 1
  if (a.advisories.some((x) => x.status === 'no-fix-yet')) return 2
  return 0
}
