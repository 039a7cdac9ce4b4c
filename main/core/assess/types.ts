/**
 * The assessment of this machine against advisories and verified mirrors (docs/trust.md, "The verdict"; docs/cli.md, "lifeline check").
 *
 * Plain readonly JSON-safe data: the CLI's `--json` report and the UI map it without conversion.
 */
import type { Advisory, AdvisoryTrust } from '../advisories/model'
import type { UsedSource } from '../system/local-system'
import type { LocalSystem } from '../system/types'

/**
 * A binary package version a mirror verifiably offers (docs/trust.md, point 2: pinned key → Release → index hash).
 *
 * The narrow shape the assessment needs; `availableFromMirrorsState` maps the poller's state to it.
 */
export interface AvailableVersion {
  readonly mirrorId: string
  /** The mirror's base URL, compared with this machine's apt sources. */
  readonly mirrorUrl: string
  readonly suite: string
  readonly component: string
  readonly package: string
  /** As listed in the index (`all` for architecture-independent packages). */
  readonly arch: string
  readonly version: string
  readonly source: string
  readonly sourceVersion: string
  /** When the Release vouching for it was verified (epoch ms), for the data's age. */
  readonly verifiedAt?: number | undefined
}

/** Changelog evidence from the signed archive: source `version` of `source` names these CVEs (docs/trust.md, point 5). */
export interface ArchiveCveEvidence {
  readonly source: string
  readonly version: string
  readonly cves: readonly string[]
}

/** Everything `assess` needs. */
export interface AssessInput {
  readonly system: LocalSystem
  readonly advisories: readonly Advisory[]
  readonly available: readonly AvailableVersion[]
  /** The repositories this machine's apt reads (`usedSources(system)`); decides fix-available vs other mirror. */
  readonly usedMirrors: readonly UsedSource[]
  /** Reference time (epoch ms), stamped on the report; the assessment itself does not depend on it. */
  readonly now: number
  /** False when no mirror verified during this check (defaults to `available.length > 0`). */
  readonly mirrorsVerified?: boolean | undefined
  readonly archiveEvidence?: readonly ArchiveCveEvidence[] | undefined
  /**
   * Signed mitigation text the instruction checker did not clear (dangerous, or it could not be checked): shown
   * with its verdict in the check's mitigation record (main/core/check/mitigations.ts), never in a step.
   */
  readonly refusedMitigations?: readonly RefusedMitigation[] | undefined
}

/** One advisory's mitigation text that must not be a step. */
export interface RefusedMitigation {
  readonly advisoryId: string
  readonly text: string
}

/**
 * An advisory's verdict for this machine. `livepatched`: the running kernel is affected, but Livepatch has applied
 * fixes for every CVE of the advisory to it, so it is covered now; a fixed kernel is verified on a mirror and is
 * still to be installed (the finding's upgrades), at the next maintenance window.
 */
export type AssessmentStatus =
  | 'fixed'
  | 'livepatched'
  | 'fixed-pending-reboot'
  | 'fix-available'
  | 'fix-on-other-mirror'
  | 'no-fix-yet'
  | 'not-affected'

/** One fact the verdict rests on, with where it came from. */
export type Evidence =
  | {
      readonly kind: 'dpkg-status'
      readonly package: string
      readonly arch: string
      readonly version: string
    }
  | {
      readonly kind: 'verified-mirror'
      readonly mirrorId: string
      readonly mirrorUrl: string
      readonly suite: string
      readonly component: string
      readonly package: string
      readonly arch: string
      readonly version: string
      readonly verifiedAt?: number | undefined
    }
  | {
      readonly kind: 'running-kernel'
      readonly release: string
      readonly version: string | undefined
      readonly from: 'version_signature' | 'uname'
    }
  | { readonly kind: 'newest-installed-kernel'; readonly package: string; readonly version: string }
  | { readonly kind: 'livepatch'; readonly cves: readonly string[] }
  | { readonly kind: 'reboot-required'; readonly packages: readonly string[] }
  | { readonly kind: 'bad-version'; readonly version: string }

/** A repository (mirror × suite × component) a fix comes from. */
export interface FixRepository {
  readonly mirrorId: string
  readonly mirrorUrl: string
  readonly suite: string
  readonly component: string
  /** True when this machine's apt sources already include it. */
  readonly used: boolean
}

/** One `pkg=version` to install, with its repository. */
export interface InstallTarget {
  readonly package: string
  readonly arch: string
  /** Installed version, or undefined for a package to newly install (a new kernel ABI package). */
  readonly installed: string | undefined
  readonly version: string
  readonly repository: FixRepository
}

/** An installed binary package, as relevant to a finding. */
export interface InstalledRef {
  readonly package: string
  readonly arch: string
  readonly version: string
  readonly sourceVersion: string
}

/** What one advisory says about one source package (or binary), checked against this machine. */
export interface PackageFinding {
  /** Source package name (or the binary's name for binary-only fixes). */
  readonly source: string
  /** The advisory's fixed version; undefined when it names none yet. */
  readonly fixedVersion: string | undefined
  readonly status: AssessmentStatus
  /** Installed binaries of this source (empty when not affected). */
  readonly installed: readonly InstalledRef[]
  /** Upgrades of installed packages (`--only-upgrade`). */
  readonly upgrades: readonly InstallTarget[]
  /** Packages to newly install (a fixed kernel ABI package when no kernel metapackage is installed). */
  readonly newInstalls: readonly InstallTarget[]
  /** Installed binaries below the fixed version with no verified fixed version anywhere. */
  readonly missing: readonly string[]
  /** The fix needs a reboot to take effect (kernel, or listed in reboot-required.pkgs). */
  readonly needsReboot: boolean
  readonly evidence: readonly Evidence[]
}

/** A numbered guidance step. */
export interface GuidanceStep {
  readonly number: number
  readonly kind: 'command' | 'file' | 'reboot' | 'info' | 'recheck'
  /** Plain-language instruction. */
  readonly text: string
  /** The exact command line to run, when there is one. */
  readonly command?: string | undefined
  /** A file to create (the temporary deb822 source). */
  readonly file?: { readonly path: string; readonly content: string } | undefined
}

/** The verdict for one advisory. */
export interface AdvisoryAssessment {
  readonly id: string
  readonly title: string
  readonly cves: readonly string[]
  readonly priority: string | undefined
  readonly trust: AdvisoryTrust
  readonly status: AssessmentStatus
  readonly packages: readonly PackageFinding[]
  readonly mitigations: readonly string[]
  /** Steps for this advisory alone. */
  readonly steps: readonly GuidanceStep[]
  /**
   * Channels that disagree on a fixed version for this release, every claim kept (docs/trust.md, "Merging
   * copies of the same advisory": shown loudly). Non-empty with trust `signed` means unsigned copies contradict the signed one.
   */
  readonly disagreements: readonly Disagreement[]
}

/** One package whose fixed version the channels disagree on. */
export interface Disagreement {
  readonly package: string
  readonly claims: readonly {
    readonly fixedVersion: string
    readonly channels: readonly string[]
    readonly signed: boolean
  }[]
}

/** A newer version of an installed source package in a verified `-security` pocket (docs/trust.md, point 5). */
export interface SecurityUpdate {
  readonly source: string
  /** Highest installed source version among its binaries. */
  readonly installedSourceVersion: string
  readonly newSourceVersion: string
  readonly upgrades: readonly InstallTarget[]
  /** True when every upgrade comes from a repository this machine uses. */
  readonly onUsedMirror: boolean
  /** Advisories (for this release) that name this source package. */
  readonly advisoryIds: readonly string[]
  /** CVEs the archive's changelog evidence names for the new version, when at hand. */
  readonly cves: readonly string[]
}

/** The kernel picture. */
export interface KernelAssessment {
  readonly running: string | undefined
  readonly runningVersion: string | undefined
  readonly newestInstalled: string | undefined
  /** A newer kernel is installed than the running one. */
  readonly newerInstalled: boolean
  readonly livepatchCves: readonly string[]
}

/** The assessment of this machine. */
export interface Assessment {
  readonly generatedAt: number
  readonly release: {
    readonly id: string
    readonly codename: string | undefined
    readonly versionId: string | undefined
  }
  /** Advisories for this release, ordered by priority, trust, status severity, id. */
  readonly advisories: readonly AdvisoryAssessment[]
  /** How many advisories were given but are not about this release. */
  readonly otherReleases: number
  readonly securityUpdates: readonly SecurityUpdate[]
  readonly kernel: KernelAssessment
  readonly rebootRequired: boolean
  readonly mirrorsVerified: boolean
  readonly counts: Readonly<Record<AssessmentStatus, number>>
  /** Steps for everything at once. */
  readonly steps: readonly GuidanceStep[]
}
