/**
 * Builders for the red-case tests (main/core/check/alarm.ts): named mirror × suite statuses, and a coverage record
 * that says which mirrors this computer's apt uses.
 */
import type { CheckCoverage } from '../../main/core/check/coverage'
import type { MirrorSuiteStatus } from '../../main/core/model'
import { currentCoverage, pocketStatus } from './check'

/** The `-security` status of the mirror `id`, named "Mirror <id>", in `state`. */
export function namedMirror(mirrorId: string, state: MirrorSuiteStatus['state']): MirrorSuiteStatus {
  return pocketStatus({ mirrorId, mirrorName: `Mirror ${mirrorId}`, state })
}

/** A coverage record listing exactly these mirrors, each used by apt or not. */
export function coverageWithUsage(used: Readonly<Record<string, boolean>>): CheckCoverage {
  return currentCoverage({
    mirrors: Object.entries(used).map(([mirrorId, usedByThisMachine]) => ({
      mirrorId,
      name: mirrorId,
      url: '',
      usedByThisMachine,
      verified: true,
    })),
  })
}
