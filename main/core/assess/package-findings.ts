/**
 * Findings for ordinary (non-kernel-ABI) binaries: of one source an advisory names, or of one binary-only fix.
 * Here "fix-available" and "fix-on-other-mirror" are decided for them: every picked fix from a repository this
 * machine's apt reads, or at least one only on another verified mirror.
 */
import { chooseFix, type FixMode } from './choose-fix'
import { NONE, type AssessContext, type BinaryGroup, type Candidate, type InstalledBinary } from './context'
import { finding, mirrorEvidenceOf, upgradeTarget } from './findings'
import { tryCompareVersions } from './ordering'
import type { Evidence, InstallTarget, PackageFinding } from './types'

/** The binaries below `fixed`, or `'bad-version'` when a version cannot be compared with it. */
function binariesBelowFix(
  installed: BinaryGroup,
  fixed: string,
  mode: FixMode,
): InstalledBinary[] | undefined | 'bad-version' {
  let below: InstalledBinary[] | undefined
  for (const binary of installed.binaries) {
    const order = tryCompareVersions(
      mode === 'source' ? binary.dpkg.sourceVersion : binary.dpkg.version,
      fixed,
    )
    if (order === undefined) return 'bad-version'
    if (order < 0) {
      if (below) below.push(binary)
      else below = [binary]
    }
  }
  return below
}

/** Every binary is at or above the fix: `fixed`, or `fixed-pending-reboot` when the system awaits a restart for one. */
function fixedFinding(
  ctx: AssessContext,
  name: string,
  fixed: string,
  installed: BinaryGroup,
): PackageFinding {
  const rebootPackages = ctx.rebootPackages
  if (rebootPackages.size > 0) {
    const pending = installed.binaries.filter(
      (b) => rebootPackages.has(b.dpkg.package) || rebootPackages.has(b.dpkg.source),
    )
    if (pending.length > 0) {
      const extraEvidence: Evidence[] = [
        { kind: 'reboot-required', packages: pending.map((b) => b.dpkg.package) },
      ]
      return finding({
        source: name,
        fixedVersion: fixed,
        status: 'fixed-pending-reboot',
        installed,
        extraEvidence,
        needsReboot: true,
      })
    }
  }
  return finding({ source: name, fixedVersion: fixed, status: 'fixed', installed })
}

/**
 * The finding when fixes were chosen: the upgrades, the mirror evidence after the dpkg evidence, the binaries with
 * no fix anywhere, and whether every fix is on a used mirror.
 */
function upgradeFinding(
  name: string,
  fixed: string,
  installed: BinaryGroup,
  below: readonly InstalledBinary[],
  chosen: readonly (Candidate | undefined)[],
): PackageFinding {
  // Exact-size arrays: one plan per advisory, at scale, so growth slack would be most of the allocation.
  let picked = 0
  for (const candidate of chosen) if (candidate) picked++
  const dpkgEvidence = installed.evidence
  const upgrades = new Array<InstallTarget>(picked)
  const evidence = new Array<Evidence>(dpkgEvidence.length + picked)
  for (const [index, entry] of dpkgEvidence.entries()) evidence[index] = entry
  let missing: string[] | undefined
  let allUsed = true
  let filled = 0
  for (const [index, target] of below.entries()) {
    const candidate = chosen[index]
    if (!candidate) {
      ;(missing ??= []).push(target.packageArch)
      continue
    }
    upgrades[filled] = upgradeTarget(target, candidate)
    evidence[dpkgEvidence.length + filled] = mirrorEvidenceOf(candidate)
    filled++
    if (!candidate.used) allUsed = false
  }
  const status = allUsed ? 'fix-available' : 'fix-on-other-mirror'
  return finding({
    source: name,
    fixedVersion: fixed,
    status,
    installed,
    upgrades,
    missing: missing ?? NONE,
    evidence,
  })
}

/** Ordinary (non-kernel-ABI) binaries of one source or one binary-only fix. */
export function assessPackages(
  ctx: AssessContext,
  name: string,
  fixed: string | undefined,
  installed: BinaryGroup,
  mode: FixMode,
): PackageFinding {
  if (fixed === undefined)
    return finding({ source: name, fixedVersion: fixed, status: 'no-fix-yet', installed })
  const below = binariesBelowFix(installed, fixed, mode)
  if (below === 'bad-version') {
    const extraEvidence: Evidence[] = [{ kind: 'bad-version', version: fixed }]
    return finding({ source: name, fixedVersion: fixed, status: 'no-fix-yet', installed, extraEvidence })
  }
  if (below === undefined) return fixedFinding(ctx, name, fixed, installed)
  const chosen = chooseFix(below, name, fixed, mode)
  if (!chosen) {
    const missing = below.map((b) => b.packageArch)
    return finding({ source: name, fixedVersion: fixed, status: 'no-fix-yet', installed, missing })
  }
  return upgradeFinding(name, fixed, installed, below, chosen)
}
