/**
 * One advisory against this machine: a finding per source (and binary-only fix) it names for this release, the
 * worst status over them, the advisory's own steps and the channels' disagreements.
 */
import type { Advisory, ReleaseFixes } from '../advisories/model'
import { NONE, groupOf, pushTo, type AssessContext } from './context'
import { mergeFindings, withCoveredMetapackages, worstStatus } from './findings'
import { buildSteps } from './guidance'
import { assessKernel } from './kernel'
import { compareStrings, sortSmall } from './ordering'
import { kernelMetaSource } from './package-names'
import { assessPackages } from './package-findings'
import { noFixOf, planOf } from './plan'
import type { AdvisoryAssessment, Disagreement, PackageFinding } from './types'

/** One advisory's findings as they are collected; the list is allocated at the first finding (most have one or none). */
interface Collecting {
  readonly ctx: AssessContext
  readonly advisory: Advisory
  list: PackageFinding[] | undefined
}

function add(collecting: Collecting, found: PackageFinding): void {
  if (collecting.list) collecting.list.push(found)
  else collecting.list = [found]
}

/** The finding for one source the advisory names (its ordinary binaries and kernel ABI packages), if installed. */
function sourceFinding(
  ctx: AssessContext,
  advisory: Advisory,
  name: string,
  fixedVersion: string | undefined,
): PackageFinding | undefined {
  const entry = ctx.bySource.get(name)
  if (!entry) return undefined
  let found: PackageFinding | undefined
  if (entry.rest) found = assessPackages(ctx, name, fixedVersion, entry.rest, 'source')
  if (entry.kernelAbi.length > 0) {
    const kernelFinding = assessKernel(ctx, name, fixedVersion, entry.kernelAbi, advisory.cves)
    if (kernelFinding) found = found ? mergeFindings(found, kernelFinding) : kernelFinding
    // The metapackage upgrade is this advisory's fix: its security update names the advisory.
    const meta = kernelMetaSource(name)
    if (kernelFinding && kernelFinding.upgrades.length > 0 && ctx.bySource.get(meta)?.hasSecurityUpdate)
      pushTo(ctx.advisoryIdsBySource, meta, advisory.id)
  }
  if (found && entry.hasSecurityUpdate) pushTo(ctx.advisoryIdsBySource, name, advisory.id)
  return found
}

/** Findings for the sources one release entry names, each source once per advisory. */
function sourceFindings(collecting: Collecting, release: ReleaseFixes): void {
  const { ctx, advisory } = collecting
  const seen = ctx.seen
  for (const fix of release.sources) {
    if (seen.has(fix.name)) continue
    seen.add(fix.name)
    const found = sourceFinding(ctx, advisory, fix.name, fix.fixedVersion)
    if (found) add(collecting, found)
  }
}

/** Binary-only fixes: binaries whose source is not listed (or unknown) in this release entry. */
function binaryFindings(collecting: Collecting, release: ReleaseFixes): void {
  const { ctx, advisory } = collecting
  const seen = ctx.seen
  for (const fix of release.binaries) {
    if (fix.source !== undefined && seen.has(fix.source)) continue
    const binaryKey = `bin:${fix.name}`
    if (seen.has(binaryKey)) continue
    const all = ctx.byName.get(fix.name)
    if (!all) continue
    const kept = all.binaries.filter((b) => !seen.has(b.advisorySource))
    if (kept.length === 0) continue
    seen.add(binaryKey)
    const installed = kept.length === all.binaries.length ? all : groupOf(kept)
    add(collecting, assessPackages(ctx, fix.name, fix.fixedVersion, installed, 'binary'))
    if (ctx.bySource.get(fix.name)?.hasSecurityUpdate) pushTo(ctx.advisoryIdsBySource, fix.name, advisory.id)
  }
}

/** Every finding of the advisory for this release, by source, with Livepatch-covered metapackages folded in. */
function advisoryFindings(ctx: AssessContext, advisory: Advisory, codename: string): PackageFinding[] {
  const collecting: Collecting = { ctx, advisory, list: undefined }
  ctx.seen.reset()
  for (const release of advisory.releases) {
    if (release.codename !== codename) continue
    sourceFindings(collecting, release)
    binaryFindings(collecting, release)
  }
  const findings = collecting.list
  if (!findings) return []
  if (findings.length === 1) return findings
  sortSmall(findings, (a, b) => compareStrings(a.source, b.source))
  return withCoveredMetapackages(findings)
}

/** The advisory's fixed-version conflicts for this release, in a stable order. */
function disagreementsFor(advisory: Advisory, codename: string): readonly Disagreement[] {
  if (advisory.conflicts.length === 0) return NONE
  return advisory.conflicts
    .filter((c) => c.codename === codename)
    .map((c) => ({
      package: c.packageName,
      claims: c.claims.map((claim) => ({
        fixedVersion: claim.fixedVersion,
        channels: [...new Set(claim.sources.map((s) => s.channelId))].sort(),
        signed: claim.sources.some((s) => s.signedBy !== undefined),
      })),
    }))
    .sort((a, b) => compareStrings(a.package, b.package))
}

/** The advisory's verdict for this machine, or undefined when it does not name this release (`codename`). */
export function assessAdvisory(
  ctx: AssessContext,
  advisory: Advisory,
  codename: string,
): AdvisoryAssessment | undefined {
  if (!advisory.releases.some((r) => r.codename === codename)) return undefined
  const findings = advisoryFindings(ctx, advisory, codename)
  const status = worstStatus(findings)
  // Nothing to do for fixed / not-affected advisories: skip building a plan (most advisories, at scale).
  const idle = status === 'fixed' || status === 'not-affected'
  return {
    id: advisory.id,
    title: advisory.title,
    cves: advisory.cves,
    priority: advisory.priority,
    trust: advisory.trust,
    status,
    packages: findings,
    mitigations: advisory.mitigations,
    // Sources that disagree give no plan: "install X" beside "no verified fix" would be two answers at once
    // (docs/trust.md, "The verdict"); the archive's own security updates still carry the verified versions.
    steps:
      idle || advisory.trust === 'conflict'
        ? NONE
        : buildSteps(planOf(ctx, findings, status === 'no-fix-yet' ? [noFixOf(ctx, advisory)] : NONE)),
    disagreements: disagreementsFor(advisory, codename),
  }
}
