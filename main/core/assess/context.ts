/**
 * The assessment's indexed view of its input: each offered version and each installed binary looked at once,
 * grouped by source and by name, with the report parts that many findings share built once.
 *
 * Built by `buildContext` (main/core/assess/build-context.ts); read by every finding. Installed packages and
 * available versions are indexed once, so the cost of an assessment is linear in its input's size.
 */
import type { InstalledPackage, LocalSystem } from '../system/types'
import type { SeenNames } from './seen-names'
import type { AvailableVersion, Evidence, FixRepository, InstallTarget, InstalledRef } from './types'

/** An empty list shared by every report part that has nothing (the report is readonly data). */
export const NONE: readonly never[] = Object.freeze([])

/**
 * An offered version, with everything the hot loops ask about it computed once per assessment (the scale target
 * is linear cost: each `AvailableVersion` is looked at through this record, never re-keyed or re-normalised).
 */
export interface Candidate {
  readonly offer: AvailableVersion
  /** This machine's apt reads the repository (decides fix-available vs fix-on-other-mirror). */
  readonly used: boolean
  /** Repository identity (mirror × suite × component): a source's binaries are taken from one where possible. */
  readonly repositoryKey: string
  /** The offer's source, as advisories name it (`advisorySourceName`). */
  readonly advisorySource: string
  /** Offered in a security pocket (`isSecuritySuite`). */
  readonly inSecurityPocket: boolean
  /** Built on first use and shared by every finding that picks this candidate (the report is readonly data). */
  fixRepository?: FixRepository
  mirrorEvidence?: Evidence
  upgrade?: InstallTarget
  /** The installed binary `upgrade` was built for. */
  upgradeOf?: InstalledBinary
}

/** An installed binary with its offered versions (`package:arch` looked up once) and its shared report parts. */
export interface InstalledBinary {
  readonly dpkg: InstalledPackage
  /** `package:arch`, as listed in a finding's `missing`. */
  readonly packageArch: string
  /** Its source, as advisories name it. */
  readonly advisorySource: string
  readonly candidates: readonly Candidate[]
  readonly ref: InstalledRef
  readonly dpkgEvidence: Evidence
}

/** A list of installed binaries with its report parts built once: findings about the same list share them. */
export interface BinaryGroup {
  readonly binaries: readonly InstalledBinary[]
  readonly refs: readonly InstalledRef[]
  readonly evidence: readonly Evidence[]
}

/** Installed binaries of one (advisory-named) source, split into kernel ABI packages and the rest. */
export interface SourceEntry {
  readonly all: BinaryGroup
  /** Non-ABI binaries; `all` when the source has no ABI package, undefined when it has only ABI packages. */
  readonly rest: BinaryGroup | undefined
  readonly kernelAbi: readonly InstalledBinary[]
  /** Has a newer version in a security pocket: advisories naming it are listed on that security update. */
  readonly hasSecurityUpdate: boolean
}

/** The running kernel's picture for one kernel source; it depends only on the system, so it is built once. */
export interface KernelSource {
  readonly images: readonly InstalledBinary[]
  readonly runningImage: InstalledBinary | undefined
  readonly flavour: string | undefined
  readonly newest: InstalledBinary | undefined
  readonly runningVersion: string | undefined
}

/** One installed binary and the security-pocket version picked for it. */
export interface SecurityPick {
  readonly target: InstalledBinary
  readonly candidate: Candidate
}

/** One installed source's binaries and the security updates picked for them. */
export interface SecurityGroup {
  readonly installed: InstalledBinary[]
  readonly picks: SecurityPick[]
}

/** Kernel image candidates of one advisory source and flavour; sorted on first use (`imageCandidates`). */
export interface KernelImageList {
  sorted: boolean
  readonly list: Candidate[]
}

/** Everything an assessment reads, indexed once. */
export interface AssessContext {
  readonly system: LocalSystem
  readonly installed: readonly InstalledBinary[]
  readonly bySource: Map<string, SourceEntry>
  readonly byName: Map<string, BinaryGroup>
  /** Kernel image and module candidates by package name, in input order. */
  readonly kernelByPackage: Map<string, Candidate[]>
  /** Kernel image candidates by `advisory source NUL flavour`. */
  readonly kernelImages: Map<string, KernelImageList>
  /** Built on first use, per kernel source (`kernelSource`). */
  readonly kernelSources: Map<string, KernelSource>
  readonly livepatchCves: ReadonlySet<string>
  /** Packages the system lists in reboot-required.pkgs. */
  readonly rebootPackages: ReadonlySet<string>
  /** `needrestart` is installed (the service-restart step names it only then). */
  readonly needrestartInstalled: boolean
  /** `advisoryId NUL text` of each signed mitigation the instruction checker did not clear (never a step). */
  readonly refusedMitigations: ReadonlySet<string>
  /** Per source, the security updates (see `securityPicks`). */
  readonly securityGroups: ReadonlyMap<string, SecurityGroup>
  /**
   * Advisory ids per source, collected only for sources with a security update (the only place they are
   * listed); sorted and deduplicated at the end.
   */
  readonly advisoryIdsBySource: Map<string, string[]>
  /** Reused per advisory: the sources (and `bin:` names) already seen. */
  readonly seen: SeenNames
}

/** A group's report parts, built once for the list. */
export function groupOf(binaries: readonly InstalledBinary[]): BinaryGroup {
  return {
    binaries,
    refs: binaries.map((b) => b.ref),
    evidence: binaries.map((b) => b.dpkgEvidence),
  }
}

/** Appends `value` to the list under `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
