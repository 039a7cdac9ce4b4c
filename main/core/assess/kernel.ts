/**
 * Kernel findings and the kernel summary.
 *
 * Each kernel ABI is its own package name, so an old kernel stays installed next to the new one: what matters is
 * the running kernel. Here "fixed", "fixed-pending-reboot", "livepatched", "fix-available" and
 * "fix-on-other-mirror" are decided for the kernel ABI packages of one kernel source.
 */
import type { InstalledPackage } from '../system/types'
import {
  groupOf,
  NONE,
  type AssessContext,
  type BinaryGroup,
  type Candidate,
  type InstalledBinary,
  type KernelSource,
} from './context'
import { finding, fixRepositoryOf, mirrorEvidenceOf, upgradeTarget } from './findings'
import { compareStrings, compareVersionsForSort, tryCompareVersions } from './ordering'
import { isKernelAbiPackage, KERNEL_IMAGE, kernelMetaSource } from './package-names'
import type { Evidence, InstallTarget, KernelAssessment, PackageFinding } from './types'

/** The newest image of `flavour` among `images`, by source version. */
function newestImage(
  images: readonly InstalledBinary[],
  flavour: string | undefined,
): InstalledBinary | undefined {
  let newest: InstalledBinary | undefined
  for (const image of images) {
    if (KERNEL_IMAGE.exec(image.dpkg.package)?.[2] !== flavour) continue
    if (!newest || compareVersionsForSort(image.dpkg.sourceVersion, newest.dpkg.sourceVersion) > 0)
      newest = image
  }
  return newest
}

/** The kernel picture for one kernel source's ABI packages (what `assessKernel` needs before any advisory). */
function kernelSource(
  ctx: AssessContext,
  source: string,
  abiPackages: readonly InstalledBinary[],
): KernelSource {
  const known = ctx.kernelSources.get(source)
  if (known) return known
  const kernel = ctx.system.kernel
  const images = abiPackages.filter((b) => KERNEL_IMAGE.test(b.dpkg.package))
  const runningImage = kernel
    ? images.find(
        (b) =>
          b.dpkg.package === `linux-image-${kernel.release}` ||
          b.dpkg.package === `linux-image-unsigned-${kernel.release}`,
      )
    : undefined
  const flavour = kernel?.flavour ?? KERNEL_IMAGE.exec(images[0]?.dpkg.package ?? '')?.[2]
  const newest = newestImage(images, flavour)
  const runningVersion =
    kernel?.packageVersion ?? runningImage?.dpkg.sourceVersion ?? newest?.dpkg.sourceVersion
  const built: KernelSource = { images, runningImage, flavour, newest, runningVersion }
  ctx.kernelSources.set(source, built)
  return built
}

/**
 * Fixed kernel images of one source and flavour, best first: on a used mirror, highest source version, then by
 * mirror, suite and name. Sorted once per assessment; each advisory takes the first at or above its fix.
 */
function imageCandidates(
  ctx: AssessContext,
  source: string,
  flavour: string | undefined,
): readonly Candidate[] {
  const entry = ctx.kernelImages.get(`${source}\u0000${flavour ?? ''}`)
  if (!entry) return NONE
  if (!entry.sorted) {
    entry.list.sort(
      (a, b) =>
        Number(b.used) - Number(a.used) ||
        compareVersionsForSort(b.offer.sourceVersion, a.offer.sourceVersion) ||
        compareStrings(
          `${a.offer.mirrorId} ${a.offer.suite} ${a.offer.package}`,
          `${b.offer.mirrorId} ${b.offer.suite} ${b.offer.package}`,
        ),
    )
    entry.sorted = true
  }
  return entry.list
}

/** The first fixed image (best first) at or above `fixed`. */
function fixedImage(
  ctx: AssessContext,
  source: string,
  flavour: string | undefined,
  fixed: string,
): Candidate | undefined {
  for (const candidate of imageCandidates(ctx, source, flavour)) {
    if ((tryCompareVersions(candidate.offer.sourceVersion, fixed) ?? -1) >= 0) return candidate
  }
  return undefined
}

/**
 * Upgrades of the installed kernel metapackages (`linux-generic`, `linux-image-generic`, ... from `linux-meta*`)
 * from the fixed image's repository: they pull the new ABI in, as `apt upgrade` would, and keep future kernel
 * updates flowing.
 */
function metapackageUpgrades(ctx: AssessContext, source: string, image: Candidate): InstallTarget[] {
  const upgrades: InstallTarget[] = []
  for (const meta of ctx.bySource.get(kernelMetaSource(source))?.all.binaries ?? NONE) {
    if (isKernelAbiPackage(meta.dpkg.package)) continue
    let best: Candidate | undefined
    for (const candidate of meta.candidates) {
      if (candidate.repositoryKey !== image.repositoryKey) continue
      if ((tryCompareVersions(candidate.offer.version, meta.dpkg.version) ?? 0) <= 0) continue
      if (!best || compareVersionsForSort(candidate.offer.version, best.offer.version) > 0) best = candidate
    }
    if (best) upgrades.push(upgradeTarget(meta, best))
  }
  return upgrades
}

/**
 * With no metapackage to upgrade, the fixed ABI packages themselves (image and modules), newly installed: the first
 * matching candidate per package in input order, then by package name.
 */
function abiInstalls(ctx: AssessContext, image: Candidate, flavour: string | undefined): InstallTarget[] {
  const abi = KERNEL_IMAGE.exec(image.offer.package)?.[1] ?? ''
  const installs: InstallTarget[] = []
  for (const pkg of new Set([image.offer.package, `linux-modules-${abi}-${flavour}`])) {
    for (const candidate of ctx.kernelByPackage.get(pkg) ?? NONE) {
      if (
        candidate.repositoryKey !== image.repositoryKey ||
        candidate.offer.sourceVersion !== image.offer.sourceVersion
      )
        continue
      installs.push({
        package: candidate.offer.package,
        arch: candidate.offer.arch,
        installed: undefined,
        version: candidate.offer.version,
        repository: fixRepositoryOf(candidate),
      })
      break
    }
  }
  return installs.sort((a, b) => compareStrings(a.package, b.package))
}

/** True when every target comes from a repository this machine's apt reads. */
function allFromUsed(targets: readonly InstallTarget[]): boolean {
  for (const target of targets) if (!target.repository.used) return false
  return true
}

/** Evidence about the running and the newest installed kernel. */
function kernelEvidence(ctx: AssessContext, picture: KernelSource): Evidence[] {
  const kernel = ctx.system.kernel
  const evidence: Evidence[] = []
  if (kernel) {
    evidence.push({
      kind: 'running-kernel',
      release: kernel.release,
      version: picture.runningVersion,
      from: kernel.from,
    })
  }
  const newest = picture.newest
  if (newest) {
    evidence.push({
      kind: 'newest-installed-kernel',
      package: newest.dpkg.package,
      version: newest.dpkg.sourceVersion,
    })
  }
  return evidence
}

/** What a kernel finding is about, once the running kernel is known to be below the fix. */
interface BelowFix {
  readonly source: string
  readonly fixed: string
  readonly picture: KernelSource
  readonly shown: BinaryGroup
  readonly evidence: Evidence[]
  readonly livepatchCovered: boolean
}

/**
 * The running kernel is below the fix. Livepatch may cover it now (every CVE of the advisory applied), but a fixed
 * kernel still has to be installed (Livepatch fixes do not survive a move to a kernel without them): `livepatched`
 * with the install, or `fixed` when it is already installed or no mirror has it. Otherwise a fixed kernel already
 * installed is `fixed-pending-reboot`, and a newer one is found on a verified mirror.
 */
function belowFixFinding(ctx: AssessContext, below: BelowFix): PackageFinding {
  const { source, fixed, picture, shown, evidence, livepatchCovered } = below
  const newest = picture.newest
  const base = { source, fixedVersion: fixed, installed: shown, extraEvidence: evidence }
  if (newest && (tryCompareVersions(newest.dpkg.sourceVersion, fixed) ?? -1) >= 0) {
    if (livepatchCovered) return finding({ ...base, status: 'fixed' })
    const both = groupOf([...new Set([...shown.binaries, newest])])
    return finding({ ...base, status: 'fixed-pending-reboot', installed: both, needsReboot: true })
  }
  const image = fixedImage(ctx, source, picture.flavour, fixed)
  if (!image) return finding({ ...base, status: livepatchCovered ? 'fixed' : 'no-fix-yet' })
  const upgrades = metapackageUpgrades(ctx, source, image)
  const newInstalls = upgrades.length === 0 ? abiInstalls(ctx, image, picture.flavour) : []
  evidence.push(mirrorEvidenceOf(image))
  const allUsed = allFromUsed(upgrades) && allFromUsed(newInstalls)
  const status = livepatchCovered ? 'livepatched' : allUsed ? 'fix-available' : 'fix-on-other-mirror'
  return finding({ ...base, status, upgrades, needsReboot: true, newInstalls })
}

/**
 * Kernel ABI packages of one kernel source.
 *
 * Running ≥ fixed: fixed. A fixed kernel installed but an older one running: fixed-pending-reboot, unless
 * Livepatch has applied fixes for every CVE of the advisory. Otherwise the fix is a newer kernel: through the
 * installed metapackages when there are any, else the ABI packages themselves. Returns undefined when the running
 * kernel is not built from this source (its old packages are not running).
 */
export function assessKernel(
  ctx: AssessContext,
  source: string,
  fixed: string | undefined,
  abiPackages: readonly InstalledBinary[],
  cves: readonly string[],
): PackageFinding | undefined {
  const kernel = ctx.system.kernel
  const picture = kernelSource(ctx, source, abiPackages)
  const { runningImage, newest, runningVersion } = picture
  if (kernel && !runningImage) return undefined
  const evidence = kernelEvidence(ctx, picture)
  const shown = groupOf(runningImage ? [runningImage] : newest ? [newest] : [])
  const base = { source, fixedVersion: fixed, installed: shown, extraEvidence: evidence }
  if (fixed === undefined) return finding({ ...base, status: 'no-fix-yet' })
  if (runningVersion === undefined) return undefined
  const order = tryCompareVersions(runningVersion, fixed)
  if (order === undefined) {
    const extraEvidence: Evidence[] = [...evidence, { kind: 'bad-version', version: fixed }]
    return finding({ ...base, status: 'no-fix-yet', extraEvidence })
  }
  if (order >= 0) return finding({ ...base, status: 'fixed' })
  const livepatchCovered = cves.length > 0 && cves.every((c) => ctx.livepatchCves.has(c))
  if (livepatchCovered) evidence.push({ kind: 'livepatch', cves: [...cves] })
  return belowFixFinding(ctx, { source, fixed, picture, shown, evidence, livepatchCovered })
}

/** The kernel picture of the whole machine, for the report. */
export function kernelSummary(ctx: AssessContext): KernelAssessment {
  const kernel = ctx.system.kernel
  const images = ctx.system.packages.filter((p) => {
    const image = KERNEL_IMAGE.exec(p.package)
    return image !== null && (kernel === undefined || image[2] === kernel.flavour)
  })
  let newest: InstalledPackage | undefined
  for (const image of images)
    if (!newest || compareVersionsForSort(image.sourceVersion, newest.sourceVersion) > 0) newest = image
  const runningImage = kernel ? images.find((p) => p.package.endsWith(`-${kernel.release}`)) : undefined
  const runningVersion = kernel?.packageVersion ?? runningImage?.sourceVersion
  return {
    running: kernel?.release,
    runningVersion,
    newestInstalled: newest?.package,
    newerInstalled:
      newest !== undefined &&
      runningVersion !== undefined &&
      (tryCompareVersions(newest.sourceVersion, runningVersion) ?? 0) > 0,
    livepatchCves: [...ctx.livepatchCves].sort(),
  }
}
