/**
 * The parts of a finding: where a fix comes from, the evidence that a mirror offers it, the install target, and
 * the finding itself; plus how findings of one advisory combine. Parts that many findings share are built once
 * and cached on the candidate (the report is readonly data).
 */
import { kernelMetaSource } from './package-names'
import { NONE, type BinaryGroup, type Candidate, type InstalledBinary } from './context'
import { STATUS_RANK } from './ordering'
import type { AssessmentStatus, Evidence, FixRepository, InstallTarget, PackageFinding } from './types'

/** The repository a candidate comes from. */
export function fixRepositoryOf(candidate: Candidate): FixRepository {
  const offer = candidate.offer
  candidate.fixRepository ??= {
    mirrorId: offer.mirrorId,
    mirrorUrl: offer.mirrorUrl,
    suite: offer.suite,
    component: offer.component,
    used: candidate.used,
  }
  return candidate.fixRepository
}

/** Evidence that the mirror verifiably offers the candidate (its own package, arch and version). */
export function mirrorEvidenceOf(candidate: Candidate): Evidence {
  const offer = candidate.offer
  candidate.mirrorEvidence ??= {
    kind: 'verified-mirror',
    mirrorId: offer.mirrorId,
    mirrorUrl: offer.mirrorUrl,
    suite: offer.suite,
    component: offer.component,
    package: offer.package,
    arch: offer.arch,
    version: offer.version,
    verifiedAt: offer.verifiedAt,
  }
  return candidate.mirrorEvidence
}

/** The upgrade of `binary` to `candidate` (a candidate is offered for one `package:arch`, so this is cached per pair). */
export function upgradeTarget(binary: InstalledBinary, candidate: Candidate): InstallTarget {
  if (candidate.upgrade && candidate.upgradeOf === binary) return candidate.upgrade
  const target: InstallTarget = {
    package: binary.dpkg.package,
    arch: binary.dpkg.architecture,
    installed: binary.dpkg.version,
    version: candidate.offer.version,
    repository: fixRepositoryOf(candidate),
  }
  candidate.upgrade = target
  candidate.upgradeOf = binary
  return target
}

/** What a finding says; everything past `installed` defaults to nothing. */
export interface FindingParts {
  readonly source: string
  readonly fixedVersion: string | undefined
  readonly status: AssessmentStatus
  /** The installed binaries it is about; their report parts are shared. */
  readonly installed: BinaryGroup
  /** Evidence after the installed binaries' dpkg evidence. */
  readonly extraEvidence?: readonly Evidence[] | undefined
  readonly upgrades?: readonly InstallTarget[] | undefined
  readonly missing?: readonly string[] | undefined
  readonly needsReboot?: boolean | undefined
  readonly newInstalls?: readonly InstallTarget[] | undefined
  /** The whole evidence list, already built (then `extraEvidence` is not used). */
  readonly evidence?: readonly Evidence[] | undefined
}

/** A finding from its parts. */
export function finding(parts: FindingParts): PackageFinding {
  const { installed, extraEvidence } = parts
  return {
    source: parts.source,
    fixedVersion: parts.fixedVersion,
    status: parts.status,
    installed: installed.refs,
    upgrades: parts.upgrades ?? NONE,
    newInstalls: parts.newInstalls ?? NONE,
    missing: parts.missing ?? NONE,
    needsReboot: parts.needsReboot ?? false,
    evidence:
      parts.evidence ?? (extraEvidence ? installed.evidence.concat(extraEvidence) : installed.evidence),
  }
}

/** The most urgent status over an advisory's findings (`not-affected` when there are none). */
export function worstStatus(findings: readonly PackageFinding[]): AssessmentStatus {
  let worst: AssessmentStatus = 'not-affected'
  for (const item of findings) if (STATUS_RANK[item.status] > STATUS_RANK[worst]) worst = item.status
  return worst
}

/** One finding for a source whose ordinary binaries and kernel ABI packages were assessed apart. */
export function mergeFindings(a: PackageFinding, b: PackageFinding): PackageFinding {
  return {
    source: a.source,
    fixedVersion: a.fixedVersion,
    status: STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b.status : a.status,
    installed: [...a.installed, ...b.installed],
    upgrades: [...a.upgrades, ...b.upgrades],
    newInstalls: [...a.newInstalls, ...b.newInstalls],
    missing: [...a.missing, ...b.missing],
    needsReboot: a.needsReboot || b.needsReboot,
    evidence: [...a.evidence, ...b.evidence],
  }
}

/**
 * When Livepatch covers a kernel source of the advisory (`livepatched`), the advisory's own `linux-meta*` finding
 * (a notice may list the metapackages beside `linux`) is that kernel's install, not a separate exposure: it is
 * `livepatched` too, its upgrade kept.
 */
export function withCoveredMetapackages(findings: PackageFinding[]): PackageFinding[] {
  const covered = new Set<string>()
  for (const item of findings) if (item.status === 'livepatched') covered.add(kernelMetaSource(item.source))
  if (covered.size === 0) return findings
  return findings.map((f) =>
    covered.has(f.source) && (f.status === 'fix-available' || f.status === 'fix-on-other-mirror')
      ? { ...f, status: 'livepatched' }
      : f,
  )
}
