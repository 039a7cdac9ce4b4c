/**
 * The assessment: joins the local system, the verified mirrors and the advisories into a verdict per advisory,
 * the archive's own security updates and numbered steps (docs/cli.md, "lifeline check").
 *
 * Pure and deterministic: the same input gives the same output, ordering included (no Map iteration order or
 * input order leaks into the result). The input is indexed once (main/core/assess/build-context.ts), so the cost
 * is linear in input size: 3,000 packages against 10,000 advisories takes a few tens of milliseconds. The pieces:
 * each advisory in main/core/assess/advisory.ts (ordinary binaries in package-findings.ts, kernels in kernel.ts),
 * the archive's security updates in security-updates.ts, plans in plan.ts and steps in guidance.ts.
 */
import type { Advisory } from '../advisories/model'
import { isCoveredUpdate, isKeyBacked } from '../check/predicates'
import { assessAdvisory } from './advisory'
import { buildContext } from './build-context'
import type { AssessContext } from './context'
import { buildSteps, dedupeTargets } from './guidance'
import { kernelSummary } from './kernel'
import { compareStrings, compareVersionsForSort, PRIORITY_RANK, STATUS_RANK, TRUST_RANK } from './ordering'
import { noFixOf, planOf, type NoFixEntry } from './plan'
import { securityUpdates } from './security-updates'
import type {
  AdvisoryAssessment,
  Assessment,
  AssessInput,
  AssessmentStatus,
  GuidanceStep,
  PackageFinding,
  SecurityUpdate,
} from './types'

/** An advisory's verdict next to the advisory it came from. */
interface RankedAdvisory {
  readonly result: AdvisoryAssessment
  readonly advisory: Advisory
}

function byId(x: RankedAdvisory, y: RankedAdvisory): number {
  return compareStrings(x.result.id, y.result.id)
}

/** One numeric sort key per advisory (priority, trust, more urgent status first; under 600 values). */
function sortKey(result: AdvisoryAssessment): number {
  return (
    (PRIORITY_RANK[result.priority ?? ''] ?? 5) * 100 +
    TRUST_RANK[result.trust] * 10 +
    (STATUS_RANK['no-fix-yet'] - STATUS_RANK[result.status])
  )
}

/** The buckets in key order, each sorted by id; stable, as a single sort by (key, id) was. */
function flattenBuckets(buckets: readonly (RankedAdvisory[] | undefined)[]): RankedAdvisory[] {
  const ranked: RankedAdvisory[] = []
  for (const bucket of buckets) {
    if (!bucket) continue
    // Advisories often arrive in id order already.
    let sorted = true
    for (let i = 1; i < bucket.length && sorted; i++) {
      if (byId(bucket[i - 1] as RankedAdvisory, bucket[i] as RankedAdvisory) > 0) sorted = false
    }
    if (!sorted) bucket.sort(byId)
    for (const entry of bucket) ranked.push(entry)
  }
  return ranked
}

/**
 * Every advisory for this release, assessed and ordered by priority, trust, status severity and id; and how many
 * were about other releases.
 *
 * Bucketed by the numeric sort key, so that only advisories with equal keys are compared by id (string comparison
 * is the costly part of sorting).
 */
function rankedAdvisories(
  ctx: AssessContext,
  advisories: readonly Advisory[],
  codename: string,
): { readonly ranked: RankedAdvisory[]; readonly otherReleases: number } {
  let otherReleases = 0
  const buckets: (RankedAdvisory[] | undefined)[] = []
  for (const advisory of advisories) {
    const result = assessAdvisory(ctx, advisory, codename)
    if (!result) {
      otherReleases++
      continue
    }
    const key = sortKey(result)
    const bucket = buckets[key]
    if (bucket) bucket.push({ result, advisory })
    else buckets[key] = [{ result, advisory }]
  }
  return { ranked: flattenBuckets(buckets), otherReleases }
}

/** Sorts and deduplicates the advisory ids collected per source. */
function settleAdvisoryIds(ctx: AssessContext): void {
  for (const [source, ids] of ctx.advisoryIdsBySource) {
    if (ids.length > 1) ctx.advisoryIdsBySource.set(source, [...new Set(ids)].sort(compareStrings))
  }
}

/** What the ranked advisories add up to: results, counts, and what the global plan acts on. */
interface Tally {
  readonly results: AdvisoryAssessment[]
  readonly counts: Record<AssessmentStatus, number>
  readonly actionableFindings: PackageFinding[]
  readonly noFix: NoFixEntry[]
}

/**
 * Counts statuses and collects the global plan's findings. The global plan is built from key-backed advisories
 * only: unsigned ones are shown, unconfirmed, with their own steps, but never decide what to do (docs/trust.md,
 * "The verdict").
 */
function tally(ctx: AssessContext, ranked: readonly RankedAdvisory[]): Tally {
  const counts: Record<AssessmentStatus, number> = {
    fixed: 0,
    livepatched: 0,
    'fixed-pending-reboot': 0,
    'fix-available': 0,
    'fix-on-other-mirror': 0,
    'no-fix-yet': 0,
    'not-affected': 0,
  }
  const results: AdvisoryAssessment[] = []
  const actionableFindings: PackageFinding[] = []
  const noFix: NoFixEntry[] = []
  for (const { result, advisory } of ranked) {
    results.push(result)
    counts[result.status]++
    if (!isKeyBacked(result.trust)) continue
    if (result.status === 'no-fix-yet') noFix.push(noFixOf(ctx, advisory))
    if (result.status !== 'fixed' && result.status !== 'not-affected')
      for (const item of result.packages) actionableFindings.push(item)
  }
  return { results, counts, actionableFindings, noFix }
}

/**
 * Steps for everything at once: every key-backed advisory's fixes plus the archive's security updates, on this
 * machine's mirrors or another verified one. An update in a verified `-security` pocket is signed by the archive
 * key, so it counts wherever it is (the outage day: the machine's own mirror down, another mirror has the fix); the
 * steps then add that mirror as a temporary deb822 source with Signed-By, install, and remove the source again.
 */
function globalSteps(
  ctx: AssessContext,
  counted: Tally,
  updates: readonly SecurityUpdate[],
  rebootRequired: boolean,
): GuidanceStep[] {
  const base = planOf(ctx, counted.actionableFindings, counted.noFix)
  const needsReboot =
    base.needsReboot || rebootRequired || counted.results.some((r) => r.status === 'fixed-pending-reboot')
  // "Nothing is urgent" holds only when every archive update is the install of a Livepatch-covered advisory too,
  // every CVE its changelog names included (main/core/check/predicates.ts isCoveredUpdate, the verdict's rule too).
  const covered = new Set(
    counted.results.filter((r) => r.status === 'livepatched' && isKeyBacked(r.trust)).map((r) => r.id),
  )
  return buildSteps({
    ...base,
    livepatchCovered:
      base.livepatchCovered === true && updates.every((u) => isCoveredUpdate(u, covered, ctx.livepatchCves)),
    upgrades: dedupeTargets(
      [...base.upgrades, ...updates.flatMap((u) => u.upgrades)],
      compareVersionsForSort,
    ),
    needsReboot,
    rebootReason: rebootRequired
      ? 'the system reports that a restart is required'
      : needsReboot
        ? 'a newer kernel or core library is installed but not yet running'
        : undefined,
  })
}

/**
 * Assesses this machine.
 *
 * Per advisory naming this release (`system.os.codename`): fixed, fixed-pending-reboot, fix-available,
 * fix-on-other-mirror, no-fix-yet or not-affected, with per-package installed and fixed versions, the install
 * targets and the evidence. Plus every installed package with a newer version in a verified `-security` pocket
 * (docs/trust.md, point 5: the archive itself is evidence), and steps for everything at once.
 */
export function assess(input: AssessInput): Assessment {
  const ctx = buildContext(input)
  const { system } = input
  const { ranked, otherReleases } = rankedAdvisories(ctx, input.advisories, system.os.codename ?? '')
  settleAdvisoryIds(ctx)
  const counted = tally(ctx, ranked)
  const updates = securityUpdates(ctx.securityGroups, ctx.advisoryIdsBySource, input)
  const kernel = kernelSummary(ctx)
  const rebootRequired = system.rebootRequired.required
  const steps = globalSteps(ctx, counted, updates, rebootRequired)
  return {
    generatedAt: input.now,
    release: { id: system.os.id, codename: system.os.codename, versionId: system.os.versionId },
    advisories: counted.results,
    otherReleases,
    securityUpdates: updates,
    kernel,
    rebootRequired,
    mirrorsVerified: input.mirrorsVerified ?? input.available.length > 0,
    counts: counted.counts,
    steps,
  }
}
