/**
 * Builds the assessment's indexed view of its input (main/core/assess/context.ts): one record per usable offered
 * version, one per installed binary, grouped by source and by name, and the security picks per source.
 */
import { isValidDebianVersion } from '../apt/version'
import { livepatchedCves } from '../system/kernel'
import { normalizeMirrorUrl } from '../system/local-system'
import type { LocalSystem } from '../system/types'
import {
  groupOf,
  NONE,
  pushTo,
  type AssessContext,
  type BinaryGroup,
  type Candidate,
  type InstalledBinary,
  type KernelImageList,
  type SecurityGroup,
  type SourceEntry,
} from './context'
import {
  advisorySourceName,
  isKernelAbiPackage,
  isKernelBinaryName,
  isSecuritySuite,
  KERNEL_IMAGE,
  PACKAGE_NAME,
} from './package-names'
import { SeenNames } from './seen-names'
import { securityPicks } from './security-updates'
import type { AssessInput, AvailableVersion } from './types'

/** The offered versions, indexed: by installed `package NUL arch`, and the kernel ones by package and by image. */
interface CandidateIndex {
  readonly byPackageArch: Map<string, Candidate[]>
  readonly kernelByPackage: Map<string, Candidate[]>
  readonly kernelImages: Map<string, KernelImageList>
}

/**
 * Decides once per repository whether this machine's apt reads it (`mirror URL NUL suite NUL component`, the URL
 * normalised once per distinct URL), not once per comparison.
 */
function usedRepositoryLookup(
  input: AssessInput,
): (offer: AvailableVersion, repositoryKey: string) => boolean {
  const usedKeys = new Set<string>()
  for (const source of input.usedMirrors) {
    for (const c of source.components)
      usedKeys.add(`${normalizeMirrorUrl(source.url)}\u0000${source.suite}\u0000${c}`)
  }
  const normalizedUrls = new Map<string, string>()
  const usedByRepository = new Map<string, boolean>()
  return (offer, repositoryKey) => {
    const memoKey = `${offer.mirrorUrl}\u0000${repositoryKey}`
    let used = usedByRepository.get(memoKey)
    if (used === undefined) {
      let url = normalizedUrls.get(offer.mirrorUrl)
      if (url === undefined) {
        url = normalizeMirrorUrl(offer.mirrorUrl)
        normalizedUrls.set(offer.mirrorUrl, url)
      }
      used = usedKeys.has(`${url}\u0000${offer.suite}\u0000${offer.component}`)
      usedByRepository.set(memoKey, used)
    }
    return used
  }
}

/**
 * Debian Policy 5.6.1 / 5.6.12: a name or version outside the syntax is never offered (and so never printed in a
 * command), whatever index it came from.
 */
function isWellFormedOffer(offer: AvailableVersion): boolean {
  return (
    PACKAGE_NAME.test(offer.package) &&
    isValidDebianVersion(offer.version) &&
    isValidDebianVersion(offer.sourceVersion)
  )
}

/** Files a kernel candidate under its package name and, for an image, under its source and flavour. */
function indexKernelCandidate(index: CandidateIndex, candidate: Candidate): void {
  pushTo(index.kernelByPackage, candidate.offer.package, candidate)
  const image = KERNEL_IMAGE.exec(candidate.offer.package)
  if (!image) return
  const key = `${candidate.advisorySource}\u0000${image[2] ?? ''}`
  const entry = index.kernelImages.get(key)
  if (entry) entry.list.push(candidate)
  else index.kernelImages.set(key, { sorted: false, list: [candidate] })
}

/** One candidate per usable offered version: well-formed, and installed here or a kernel package. */
function indexCandidates(input: AssessInput, installedNames: ReadonlySet<string>): CandidateIndex {
  const index: CandidateIndex = {
    byPackageArch: new Map(),
    kernelByPackage: new Map(),
    kernelImages: new Map(),
  }
  const isUsed = usedRepositoryLookup(input)
  for (const offer of input.available) {
    if (!isWellFormedOffer(offer)) continue
    const isKernel = isKernelBinaryName(offer.package)
    if (!isKernel && !installedNames.has(offer.package)) continue
    const repositoryKey = `${offer.mirrorId}\u0000${offer.suite}\u0000${offer.component}`
    const candidate: Candidate = {
      offer,
      used: isUsed(offer, repositoryKey),
      repositoryKey,
      advisorySource: advisorySourceName(offer.source),
      inSecurityPocket: isSecuritySuite(offer.suite),
    }
    if (isKernel) indexKernelCandidate(index, candidate)
    // `Architecture: all` binaries are installed as `all` and listed as `all` in every binary-<arch> index.
    if (installedNames.has(offer.package))
      pushTo(index.byPackageArch, `${offer.package}\u0000${offer.arch}`, candidate)
  }
  return index
}

/** One record per installed binary, with its candidates and its shared report parts. */
function installedBinaries(
  system: LocalSystem,
  byPackageArch: ReadonlyMap<string, Candidate[]>,
): InstalledBinary[] {
  return system.packages.map((p) => ({
    dpkg: p,
    packageArch: `${p.package}:${p.architecture}`,
    advisorySource: advisorySourceName(p.source),
    candidates: byPackageArch.get(`${p.package}\u0000${p.architecture}`) ?? NONE,
    ref: { package: p.package, arch: p.architecture, version: p.version, sourceVersion: p.sourceVersion },
    dpkgEvidence: { kind: 'dpkg-status', package: p.package, arch: p.architecture, version: p.version },
  }))
}

/** A source's binaries split into kernel ABI packages and the rest, each group's report parts built once. */
function sourceEntryOf(binaries: InstalledBinary[], security: SecurityGroup | undefined): SourceEntry {
  const all = groupOf(binaries)
  const kernelAbi = binaries.filter((b) => isKernelAbiPackage(b.dpkg.package))
  const rest = kernelAbi.length === 0 ? binaries : binaries.filter((b) => !kernelAbi.includes(b))
  return {
    all,
    kernelAbi,
    rest: rest.length === 0 ? undefined : rest === binaries ? all : groupOf(rest),
    hasSecurityUpdate: (security?.picks.length ?? 0) > 0,
  }
}

/** Installed binaries grouped by advisory source and by package name. */
function groupInstalled(
  installed: readonly InstalledBinary[],
  securityGroups: ReadonlyMap<string, SecurityGroup>,
): { bySource: Map<string, SourceEntry>; byName: Map<string, BinaryGroup> } {
  const sourceLists = new Map<string, InstalledBinary[]>()
  const nameLists = new Map<string, InstalledBinary[]>()
  for (const binary of installed) {
    pushTo(sourceLists, binary.advisorySource, binary)
    pushTo(nameLists, binary.dpkg.package, binary)
  }
  const bySource = new Map<string, SourceEntry>()
  for (const [source, list] of sourceLists)
    bySource.set(source, sourceEntryOf(list, securityGroups.get(source)))
  const byName = new Map<string, BinaryGroup>()
  for (const [name, list] of nameLists) byName.set(name, groupOf(list))
  return { bySource, byName }
}

/** Indexes `input` once for the whole assessment. */
export function buildContext(input: AssessInput): AssessContext {
  const { system } = input
  const installedNames = new Set<string>()
  for (const p of system.packages) installedNames.add(p.package)
  const candidates = indexCandidates(input, installedNames)
  const installed = installedBinaries(system, candidates.byPackageArch)
  const securityGroups = securityPicks(installed)
  const { bySource, byName } = groupInstalled(installed, securityGroups)
  return {
    system,
    installed,
    bySource,
    byName,
    kernelByPackage: candidates.kernelByPackage,
    kernelImages: candidates.kernelImages,
    kernelSources: new Map(),
    livepatchCves: livepatchedCves(system.livepatch),
    rebootPackages: new Set(system.rebootRequired.packages),
    needrestartInstalled: byName.has('needrestart'),
    refusedMitigations: new Set(
      (input.refusedMitigations ?? NONE).map((m) => `${m.advisoryId}\u0000${m.text}`),
    ),
    seen: new SeenNames(),
    securityGroups,
    advisoryIdsBySource: new Map(),
  }
}
