/**
 * The fix plan the step builder (main/core/assess/guidance.ts) turns into steps: what to upgrade and install, and
 * which advisories have no verified fix, from a list of findings.
 */
import type { Advisory } from '../advisories/model'
import { NONE, type AssessContext } from './context'
import { dedupeTargets, type GuidancePlan } from './guidance'
import { compareVersionsForSort } from './ordering'
import type { InstallTarget, PackageFinding } from './types'

/** One advisory with no verified fix, as the plan lists it. */
export type NoFixEntry = GuidancePlan['noFix'][number]

/**
 * An advisory with no verified fix, as a step sees it: its mitigation text only when a pinned key signed it
 * (docs/trust.md, "Mitigations"). Unsigned text is shown beside the advisory with the instruction checker's
 * verdict (main/core/check/mitigations.ts), never as a step; so is signed text the checker did not clear.
 */
export function noFixOf(ctx: AssessContext, advisory: Advisory): NoFixEntry {
  if (advisory.trust !== 'signed') return { id: advisory.id, title: advisory.title, mitigations: NONE }
  const mitigations = advisory.mitigations.filter(
    (text) => !ctx.refusedMitigations.has(`${advisory.id}\u0000${text}`),
  )
  if (mitigations.length === advisory.mitigations.length) {
    return { id: advisory.id, title: advisory.title, mitigations }
  }
  return { id: advisory.id, title: advisory.title, mitigations, withheld: true }
}

/** A finding the plan acts on (something to install, or to know about). */
function isActionable(item: PackageFinding): boolean {
  return (
    item.status === 'fix-available' ||
    item.status === 'fix-on-other-mirror' ||
    item.status === 'livepatched' ||
    item.status === 'no-fix-yet'
  )
}

/** The upgrades and new installs of the actionable findings, concatenated. */
function actionableTargets(findings: readonly PackageFinding[]): {
  readonly upgrades: readonly InstallTarget[]
  readonly newInstalls: readonly InstallTarget[]
} {
  let count = 0
  let only: PackageFinding | undefined
  for (const item of findings) {
    if (!isActionable(item)) continue
    count++
    only = item
  }
  // One advisory's plan is usually one finding: no concatenation.
  if (count === 1 && only) return { upgrades: only.upgrades, newInstalls: only.newInstalls }
  if (count === 0) return { upgrades: NONE, newInstalls: NONE }
  const upgrades: InstallTarget[] = []
  const newInstalls: InstallTarget[] = []
  for (const item of findings) {
    if (!isActionable(item)) continue
    for (const target of item.upgrades) upgrades.push(target)
    for (const target of item.newInstalls) newInstalls.push(target)
  }
  return { upgrades, newInstalls }
}

/** Every actionable finding is a kernel Livepatch already covers (and there is at least one). */
function onlyLivepatched(findings: readonly PackageFinding[]): boolean {
  let any = false
  for (const item of findings) {
    if (!isActionable(item)) continue
    if (item.status !== 'livepatched') return false
    any = true
  }
  return any
}

/** The plan for `findings`, with `noFix` advisories listed. */
export function planOf(
  ctx: AssessContext,
  findings: readonly PackageFinding[],
  noFix: readonly NoFixEntry[],
): GuidancePlan {
  let needsReboot = false
  for (const item of findings) if (item.needsReboot) needsReboot = true
  const { upgrades, newInstalls } = actionableTargets(findings)
  return {
    upgrades: dedupeTargets(upgrades, compareVersionsForSort),
    newInstalls: dedupeTargets(newInstalls, compareVersionsForSort),
    livepatchCovered: onlyLivepatched(findings),
    needsReboot,
    rebootReason: needsReboot ? 'the fix replaces the running kernel or a core library' : undefined,
    noFix,
    nativeArch: ctx.system.nativeArch,
    osId: ctx.system.os.id,
    needrestartInstalled: ctx.needrestartInstalled,
    recheckAdvisories: noFix.length > 0 || findings.length > 0,
  }
}
