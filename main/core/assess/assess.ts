/**
 * The assessment: joins the local system, the verified mirrors and the advisories into a verdict per advisory,
 * the archive's own security updates and numbered steps (docs/cli.md, "lifeline check").
 *
 * Pure and deterministic: the same input gives the same output, ordering included (no Map iteration order or
 * input order leaks into the result). Installed packages and available versions are indexed once, so the cost is
 * linear in input size: 3,000 packages against 10,000 advisories takes a few tens of milliseconds.
 */
import type { Advisory, AdvisoryTrust } from '../advisories/model'
import { compareDebianVersions, isValidDebianVersion } from '../apt/version'
import { normalizeMirrorUrl } from '../system/local-system'
import { livepatchedCves } from '../system/kernel'
import type { InstalledPackage, LocalSystem } from '../system/types'
import { isCoveredUpdate, isKeyBacked } from '../check/predicates'
import { buildSteps, dedupeTargets, sortSmall, type GuidancePlan } from './guidance'
import type {
  AdvisoryAssessment,
  Assessment,
  AssessInput,
  AssessmentStatus,
  AvailableVersion,
  Disagreement,
  Evidence,
  FixRepository,
  InstallTarget,
  InstalledRef,
  KernelAssessment,
  PackageFinding,
  SecurityUpdate,
} from './types'

/** Severity of a status, most urgent highest: an advisory takes the worst status over its packages. */
const STATUS_RANK: Readonly<Record<AssessmentStatus, number>> = {
  'not-affected': 0,
  fixed: 1,
  livepatched: 2,
  'fixed-pending-reboot': 3,
  'fix-available': 4,
  'fix-on-other-mirror': 5,
  'no-fix-yet': 6,
}

/** Ubuntu CVE priorities, most urgent first (Ubuntu CVE tracker "Priority"); unknown last. */
const PRIORITY_RANK: Readonly<Record<string, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  negligible: 4,
}

/**
 * Trust, strongest first (docs/trust.md, points 4-5). A `conflict` sorts before `single-source` so that a
 * disagreement between channels is seen, not buried.
 */
const TRUST_RANK: Readonly<Record<AdvisoryTrust, number>> = {
  signed: 0,
  'archive-confirmed': 1,
  corroborated: 2,
  conflict: 3,
  'single-source': 4,
}

/** Ubuntu kernel ABI packages: `linux-image-5.15.0-52-generic`, `linux-modules-extra-…`, `linux-headers-5.15.0-52`. */
const KERNEL_ABI_PACKAGE = /^linux-[a-z0-9-]*?-(\d+\.\d+\.\d+-\d+)(?:-([a-z0-9][a-z0-9-]*))?$/
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/
const KERNEL_IMAGE = /^linux-image-(?:unsigned-)?(\d+\.\d+\.\d+-\d+)-([a-z0-9][a-z0-9-]*)$/

/** dpkg ordering that never throws: an invalid version compares as undefined. */
function cmp(a: string, b: string): number | undefined {
  try {
    return compareDebianVersions(a, b)
  } catch {
    return undefined
  }
}

/** dpkg ordering for sorting; when either version is invalid, plain string order, so sorting never throws. */
function sortCmp(a: string, b: string): number {
  return cmp(a, b) ?? byString(a, b)
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function bySource(a: PackageFinding, b: PackageFinding): number {
  return byString(a.source, b.source)
}

/**
 * The source name an advisory uses for a binary's source.
 *
 * Ubuntu builds signed kernel images from `linux-signed*` sources whose versions equal the `linux*` source they
 * sign; advisories name the latter (e.g. `linux`, `linux-hwe-5.15`).
 */
export function advisorySourceName(source: string): string {
  return source.startsWith('linux-signed') ? 'linux' + source.slice('linux-signed'.length) : source
}

/** Pockets whose updates are security updates: Ubuntu/Debian `<codename>-security`, old Debian `<codename>/updates`. */
export function isSecuritySuite(suite: string): boolean {
  return suite.endsWith('-security') || suite.endsWith('/updates')
}

/**
 * An offered version, with everything the hot loops ask about it computed once per assessment (the scale target
 * is linear cost: each `AvailableVersion` is looked at through this record, never re-keyed or re-normalised).
 */
interface Cand {
  readonly a: AvailableVersion
  /** This machine's apt reads the repository (decides fix-available vs fix-on-other-mirror). */
  readonly used: boolean
  /** Repository identity (mirror × suite × component): a source's binaries are taken from one where possible. */
  readonly repo: string
  readonly advSource: string
  readonly security: boolean
  /** Built on first use and shared by every finding that picks this candidate (the report is readonly data). */
  fixRepo?: FixRepository
  ev?: Evidence
  tgt?: InstallTarget
  tgtFor?: Inst
}

/** An installed binary with its offered versions (`package:arch` looked up once) and its shared report parts. */
interface Inst {
  readonly p: InstalledPackage
  /** `package:arch`, as listed in `missing`. */
  readonly tk: string
  readonly src: string
  readonly cands: readonly Cand[]
  readonly ref: InstalledRef
  readonly ev: Evidence
}

/** A list of installed binaries with its report parts built once: findings about the same list share them. */
interface Group {
  readonly list: readonly Inst[]
  readonly refs: readonly InstalledRef[]
  readonly evs: readonly Evidence[]
}

/** Installed binaries of one (advisory-named) source, split into kernel ABI packages and the rest. */
interface SourceEntry {
  readonly all: Group
  /** Non-ABI binaries; `all` when the source has no ABI package, undefined when it has only ABI packages. */
  readonly rest: Group | undefined
  readonly abi: readonly Inst[]
  /** Has a newer version in a security pocket: advisories naming it are listed on that security update. */
  readonly security: boolean
}

/** The running kernel's picture for one kernel source; it depends only on the system, so it is built once. */
interface KernelSource {
  readonly images: readonly Inst[]
  readonly runningImage: Inst | undefined
  readonly flavour: string | undefined
  readonly newest: Inst | undefined
  readonly runningVersion: string | undefined
}

/**
 * A set of names, reused from one advisory to the next. An advisory names a few sources, so a linear scan of
 * one reused array beats a Set, whose clear() allocates a new table each time; past 32 names (a hostile or huge
 * advisory) it switches to a Set so the cost stays linear.
 */
class SeenNames {
  // Slots are overwritten, never truncated: setting an array's length to 0 drops its backing store.
  private readonly small: string[] = []
  private n = 0
  private big: Set<string> | undefined

  reset(): void {
    this.n = 0
    this.big = undefined
  }

  has(name: string): boolean {
    if (this.big) return this.big.has(name)
    for (let i = 0; i < this.n; i++) if (this.small[i] === name) return true
    return false
  }

  add(name: string): void {
    if (this.big) this.big.add(name)
    else if (this.n < 32) this.small[this.n++] = name
    else this.big = new Set([...this.small, name])
  }
}

interface Context {
  readonly system: LocalSystem
  readonly insts: readonly Inst[]
  readonly bySource: Map<string, SourceEntry>
  readonly byName: Map<string, Group>
  /** Kernel image and module candidates by package name, in input order. */
  readonly kernelByPackage: Map<string, Cand[]>
  /** Kernel image candidates by advisory source and flavour; sorted on first use (see `imageCandidates`). */
  readonly imagesBy: Map<string, { sorted: boolean; list: Cand[] }>
  readonly kernelSources: Map<string, KernelSource>
  readonly livepatch: ReadonlySet<string>
  readonly rebootPkgs: ReadonlySet<string>
  /** `needrestart` is installed (the service-restart step names it only then). */
  readonly needrestart: boolean
  /** `advisoryId NUL text` of each signed mitigation the instruction checker did not clear (never a step). */
  readonly refusedMitigations: ReadonlySet<string>
  /** Per source, the security updates (see `securityPicks`). */
  readonly security: ReadonlyMap<string, SecurityGroup>
  /**
   * Advisory ids per source, collected only for sources with a security update (the only place they are
   * listed); sorted and deduplicated at the end.
   */
  readonly idsBySource: Map<string, string[]>
  /** Reused per advisory: the sources (and `bin:` names) already seen. */
  readonly seen: SeenNames
}

const NONE: readonly never[] = Object.freeze([])

function groupOf(list: readonly Inst[]): Group {
  return { list, refs: list.map((i) => i.ref), evs: list.map((i) => i.ev) }
}

function repoOf(c: Cand): FixRepository {
  c.fixRepo ??= {
    mirrorId: c.a.mirrorId,
    mirrorUrl: c.a.mirrorUrl,
    suite: c.a.suite,
    component: c.a.component,
    used: c.used,
  }
  return c.fixRepo
}

/** Evidence that the mirror verifiably offers the candidate (its own package, arch and version). */
function mirrorEvidence(c: Cand): Evidence {
  const a = c.a
  c.ev ??= {
    kind: 'verified-mirror',
    mirrorId: a.mirrorId,
    mirrorUrl: a.mirrorUrl,
    suite: a.suite,
    component: a.component,
    package: a.package,
    arch: a.arch,
    version: a.version,
    verifiedAt: a.verifiedAt,
  }
  return c.ev
}

/** The upgrade of `t` to `c` (a candidate is offered for one `package:arch`, so this is cached per pair). */
function upgradeTarget(t: Inst, c: Cand): InstallTarget {
  if (c.tgt && c.tgtFor === t) return c.tgt
  const tgt: InstallTarget = {
    package: t.p.package,
    arch: t.p.architecture,
    installed: t.p.version,
    version: c.a.version,
    repository: repoOf(c),
  }
  c.tgt = tgt
  c.tgtFor = t
  return tgt
}

interface Choice {
  readonly target: Inst
  readonly cand: Cand
}

interface RepoPicks {
  readonly key: string
  readonly used: boolean
  /** The best candidate per target slot (see `slots`). */
  readonly picks: (Cand | undefined)[]
  /** How many slots have a pick. */
  count: number
  maxSourceVersion: string
}

/** Orders repositories for `chooseFix`: used first, most binaries, highest source version, then by name. */
function rankRepos(a: RepoPicks, b: RepoPicks): number {
  return (
    Number(b.used) - Number(a.used) ||
    b.count - a.count ||
    sortCmp(b.maxSourceVersion, a.maxSourceVersion) ||
    byString(a.key, b.key)
  )
}

const SLOT0: readonly number[] = Object.freeze([0])

/** For each target, the index of the first target with the same `package:arch` (they share one pick). */
function slots(targets: readonly Inst[]): readonly number[] {
  if (targets.length === 1) return SLOT0
  const out: number[] = []
  if (targets.length > 16) {
    const first = new Map<string, number>()
    for (const [i, t] of targets.entries()) {
      const f = first.get(t.tk)
      if (f === undefined) first.set(t.tk, i)
      out.push(f ?? i)
    }
    return out
  }
  for (let i = 0; i < targets.length; i++) {
    const tk = (targets[i] as Inst).tk
    let j = 0
    while ((targets[j] as Inst).tk !== tk) j++
    out.push(j)
  }
  return out
}

/**
 * Chooses where each below-fix binary gets its fixed version: the pick per target (undefined for a binary with
 * none), or undefined when no target has one.
 *
 * One repository (mirror × suite × component) is preferred for the whole source package, because its binaries
 * depend on each other at exactly equal versions: a used repository first, then the one covering most binaries,
 * then the highest source version, then by name. Binaries it lacks are taken from the next repositories in the
 * same order. A candidate qualifies when it is newer than the installed binary and, for a source fix, built
 * from the advisory's source at or above the fixed source version (for a binary-only fix, its own version).
 * Repositories are few per source, so they are kept in a short array rather than a Map.
 */
function chooseFix(
  targets: readonly Inst[],
  name: string,
  fixed: string,
  mode: 'source' | 'binary',
): (Cand | undefined)[] | undefined {
  const slot = slots(targets)
  let repos: RepoPicks[] | undefined
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i] as Inst
    const s = slot[i] as number
    for (const c of t.cands) {
      if (mode === 'source') {
        if (c.advSource !== name || (cmp(c.a.sourceVersion, fixed) ?? -1) < 0) continue
      } else if ((cmp(c.a.version, fixed) ?? -1) < 0) continue
      if ((cmp(c.a.version, t.p.version) ?? 0) <= 0) continue
      let r: RepoPicks | undefined
      if (repos) {
        for (const x of repos) {
          if (x.key === c.repo) {
            r = x
            break
          }
        }
      }
      if (!r) {
        const picks = new Array<Cand | undefined>(targets.length)
        r = { key: c.repo, used: c.used, picks, count: 0, maxSourceVersion: c.a.sourceVersion }
        if (repos) repos.push(r)
        else repos = [r]
      }
      const cur = r.picks[s]
      if (!cur) {
        r.picks[s] = c
        r.count++
      } else if (sortCmp(c.a.version, cur.a.version) > 0) r.picks[s] = c
      if (sortCmp(c.a.sourceVersion, r.maxSourceVersion) > 0) r.maxSourceVersion = c.a.sourceVersion
    }
  }
  if (!repos) return undefined
  if (repos.length === 1) {
    const only = repos[0] as RepoPicks
    if (targets.length === 1) return only.picks
    return slot.map((s) => only.picks[s])
  }
  sortSmall(repos, rankRepos)
  const ranked = repos
  return slot.map((s) => {
    for (const r of ranked) {
      const cand = r.picks[s]
      if (cand) return cand
    }
    return undefined
  })
}

/**
 * A finding; `installed`'s report parts are shared, `extraEvidence` follows the dpkg evidence (or `evidence`
 * is the whole list, already built).
 */
function finding(
  source: string,
  fixedVersion: string | undefined,
  status: AssessmentStatus,
  installed: Group,
  extraEvidence?: readonly Evidence[],
  upgrades: readonly InstallTarget[] = NONE,
  missing: readonly string[] = NONE,
  needsReboot = false,
  newInstalls: readonly InstallTarget[] = NONE,
  evidence?: readonly Evidence[],
): PackageFinding {
  return {
    source,
    fixedVersion,
    status,
    installed: installed.refs,
    upgrades,
    newInstalls,
    missing,
    needsReboot,
    evidence: evidence ?? (extraEvidence ? installed.evs.concat(extraEvidence) : installed.evs),
  }
}

/** Ordinary (non-kernel-ABI) binaries of one source or one binary-only fix. */
function assessPackages(
  ctx: Context,
  name: string,
  fixed: string | undefined,
  installed: Group,
  mode: 'source' | 'binary',
): PackageFinding {
  if (fixed === undefined) return finding(name, fixed, 'no-fix-yet', installed)
  let below: Inst[] | undefined
  for (const i of installed.list) {
    const c = cmp(mode === 'source' ? i.p.sourceVersion : i.p.version, fixed)
    if (c === undefined) {
      return finding(name, fixed, 'no-fix-yet', installed, [{ kind: 'bad-version', version: fixed }])
    }
    if (c < 0) {
      if (below) below.push(i)
      else below = [i]
    }
  }
  if (below === undefined) {
    if (ctx.rebootPkgs.size > 0) {
      const pending = installed.list.filter(
        (i) => ctx.rebootPkgs.has(i.p.package) || ctx.rebootPkgs.has(i.p.source),
      )
      if (pending.length > 0) {
        const evidence: Evidence[] = [{ kind: 'reboot-required', packages: pending.map((i) => i.p.package) }]
        return finding(name, fixed, 'fixed-pending-reboot', installed, evidence, NONE, NONE, true)
      }
    }
    return finding(name, fixed, 'fixed', installed)
  }
  const chosen = chooseFix(below, name, fixed, mode)
  if (!chosen) return finding(name, fixed, 'no-fix-yet', installed, undefined, NONE, below.map(tkOf))
  // Exact-size arrays: one plan per advisory, at scale, so growth slack would be most of the allocation.
  let n = 0
  for (const c of chosen) if (c) n++
  const upgrades = new Array<InstallTarget>(n)
  const evidence = new Array<Evidence>(installed.evs.length + n)
  for (const [k, e] of installed.evs.entries()) evidence[k] = e
  let missing: string[] | undefined
  let allUsed = true
  let u = 0
  for (const [k, target] of below.entries()) {
    const cand = chosen[k]
    if (!cand) {
      ;(missing ??= []).push(target.tk)
      continue
    }
    upgrades[u] = upgradeTarget(target, cand)
    evidence[installed.evs.length + u] = mirrorEvidence(cand)
    u++
    if (!cand.used) allUsed = false
  }
  const status = allUsed ? 'fix-available' : 'fix-on-other-mirror'
  return finding(name, fixed, status, installed, undefined, upgrades, missing ?? NONE, false, NONE, evidence)
}

function tkOf(i: Inst): string {
  return i.tk
}

/** The kernel picture for one kernel source's ABI packages (what `assessKernel` needs before any advisory). */
function kernelSource(ctx: Context, source: string, abiPkgs: readonly Inst[]): KernelSource {
  let ks = ctx.kernelSources.get(source)
  if (ks) return ks
  const k = ctx.system.kernel
  const images = abiPkgs.filter((i) => KERNEL_IMAGE.test(i.p.package))
  const runningImage = k
    ? images.find(
        (i) =>
          i.p.package === `linux-image-${k.release}` || i.p.package === `linux-image-unsigned-${k.release}`,
      )
    : undefined
  const flavour = k?.flavour ?? KERNEL_IMAGE.exec(images[0]?.p.package ?? '')?.[2]
  let newest: Inst | undefined
  for (const i of images) {
    if (KERNEL_IMAGE.exec(i.p.package)?.[2] !== flavour) continue
    if (!newest || sortCmp(i.p.sourceVersion, newest.p.sourceVersion) > 0) newest = i
  }
  const runningVersion = k?.packageVersion ?? runningImage?.p.sourceVersion ?? newest?.p.sourceVersion
  ks = { images, runningImage, flavour, newest, runningVersion }
  ctx.kernelSources.set(source, ks)
  return ks
}

/**
 * Fixed kernel images of one source and flavour, best first: on a used mirror, highest source version, then by
 * mirror, suite and name. Sorted once per assessment; each advisory takes the first at or above its fix.
 */
function imageCandidates(ctx: Context, source: string, flavour: string | undefined): readonly Cand[] {
  const e = ctx.imagesBy.get(`${source}\u0000${flavour ?? ''}`)
  if (!e) return NONE
  if (!e.sorted) {
    e.list.sort(
      (a, b) =>
        Number(b.used) - Number(a.used) ||
        sortCmp(b.a.sourceVersion, a.a.sourceVersion) ||
        byString(
          `${a.a.mirrorId} ${a.a.suite} ${a.a.package}`,
          `${b.a.mirrorId} ${b.a.suite} ${b.a.package}`,
        ),
    )
    e.sorted = true
  }
  return e.list
}

/**
 * Kernel ABI packages of one kernel source.
 *
 * Each kernel ABI is its own package name, so an old kernel stays installed next to the new one: what matters is
 * the running kernel. Running ≥ fixed: fixed. A fixed kernel installed but an older one running:
 * fixed-pending-reboot, unless Livepatch has applied fixes for every CVE of the advisory. Otherwise the fix is a
 * newer kernel: through the installed metapackages when there are any, else the ABI packages themselves.
 * Returns undefined when the running kernel is not built from this source (its old packages are not running).
 */
function assessKernel(
  ctx: Context,
  source: string,
  fixed: string | undefined,
  abiPkgs: readonly Inst[],
  cves: readonly string[],
): PackageFinding | undefined {
  const k = ctx.system.kernel
  const { runningImage, flavour, newest, runningVersion } = kernelSource(ctx, source, abiPkgs)
  if (k && !runningImage) return undefined
  const evidence: Evidence[] = []
  if (k) evidence.push({ kind: 'running-kernel', release: k.release, version: runningVersion, from: k.from })
  if (newest)
    evidence.push({
      kind: 'newest-installed-kernel',
      package: newest.p.package,
      version: newest.p.sourceVersion,
    })
  const shownList = runningImage ? [runningImage] : newest ? [newest] : []
  const shown = groupOf(shownList)
  if (fixed === undefined) return finding(source, fixed, 'no-fix-yet', shown, evidence)
  if (runningVersion === undefined) return undefined
  const rc = cmp(runningVersion, fixed)
  if (rc === undefined) {
    return finding(source, fixed, 'no-fix-yet', shown, [...evidence, { kind: 'bad-version', version: fixed }])
  }
  if (rc >= 0) return finding(source, fixed, 'fixed', shown, evidence)
  // Livepatch has applied fixes for every CVE of the advisory to the running kernel: covered now. A fixed kernel
  // still has to be installed (Livepatch fixes do not survive a move to a kernel without them): `livepatched`
  // with the install, or `fixed` when it is already installed or no mirror has it.
  const covered = cves.length > 0 && cves.every((c) => ctx.livepatch.has(c))
  if (covered) evidence.push({ kind: 'livepatch', cves: [...cves] })
  if (newest && (cmp(newest.p.sourceVersion, fixed) ?? -1) >= 0) {
    if (covered) return finding(source, fixed, 'fixed', shown, evidence)
    const both = groupOf([...new Set([...shownList, newest])])
    return finding(source, fixed, 'fixed-pending-reboot', both, evidence, NONE, NONE, true)
  }
  // A newer kernel is needed: find a fixed image of the running flavour on a verified mirror.
  let image: Cand | undefined
  for (const c of imageCandidates(ctx, source, flavour)) {
    if ((cmp(c.a.sourceVersion, fixed) ?? -1) >= 0) {
      image = c
      break
    }
  }
  if (!image) return finding(source, fixed, covered ? 'fixed' : 'no-fix-yet', shown, evidence)
  const repo = image.repo
  // Metapackages (`linux-generic`, `linux-image-generic`, ... from `linux-meta*`) pull the new ABI in; upgrading
  // them is what `apt upgrade` would do and keeps future kernel updates flowing.
  const metaSource = source.replace(/^linux/, 'linux-meta')
  const upgrades: InstallTarget[] = []
  for (const m of ctx.bySource.get(metaSource)?.all.list ?? NONE) {
    if (KERNEL_ABI_PACKAGE.test(m.p.package)) continue
    let best: Cand | undefined
    for (const c of m.cands) {
      if (c.repo !== repo || (cmp(c.a.version, m.p.version) ?? 0) <= 0) continue
      if (!best || sortCmp(c.a.version, best.a.version) > 0) best = c
    }
    if (best) upgrades.push(upgradeTarget(m, best))
  }
  const newInstalls: InstallTarget[] = []
  if (upgrades.length === 0) {
    const abi = KERNEL_IMAGE.exec(image.a.package)?.[1] ?? ''
    // The first matching candidate per package in input order, then by package name.
    for (const pkg of new Set([image.a.package, `linux-modules-${abi}-${flavour}`])) {
      for (const c of ctx.kernelByPackage.get(pkg) ?? NONE) {
        if (c.repo !== repo || c.a.sourceVersion !== image.a.sourceVersion) continue
        newInstalls.push({
          package: c.a.package,
          arch: c.a.arch,
          installed: undefined,
          version: c.a.version,
          repository: repoOf(c),
        })
        break
      }
    }
    newInstalls.sort((a, b) => byString(a.package, b.package))
  }
  let allUsed = true
  for (const t of upgrades) if (!t.repository.used) allUsed = false
  for (const t of newInstalls) if (!t.repository.used) allUsed = false
  evidence.push(mirrorEvidence(image))
  const status = covered ? 'livepatched' : allUsed ? 'fix-available' : 'fix-on-other-mirror'
  return finding(source, fixed, status, shown, evidence, upgrades, NONE, true, newInstalls)
}

/**
 * When Livepatch covers a kernel source of the advisory (`livepatched`), the advisory's own `linux-meta*` finding
 * (a notice may list the metapackages beside `linux`) is that kernel's install, not a separate exposure: it is
 * `livepatched` too, its upgrade kept.
 */
function withCoveredMetapackages(findings: PackageFinding[]): PackageFinding[] {
  const covered = new Set<string>()
  for (const f of findings)
    if (f.status === 'livepatched') covered.add(f.source.replace(/^linux/, 'linux-meta'))
  if (covered.size === 0) return findings
  return findings.map((f) =>
    covered.has(f.source) && (f.status === 'fix-available' || f.status === 'fix-on-other-mirror')
      ? { ...f, status: 'livepatched' }
      : f,
  )
}

function worst(findings: readonly PackageFinding[]): AssessmentStatus {
  let s: AssessmentStatus = 'not-affected'
  for (const f of findings) if (STATUS_RANK[f.status] > STATUS_RANK[s]) s = f.status
  return s
}

function merge(a: PackageFinding, b: PackageFinding): PackageFinding {
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

function assessAdvisory(ctx: Context, adv: Advisory, codename: string): AdvisoryAssessment | undefined {
  let forRelease = false
  for (const r of adv.releases) if (r.codename === codename) forRelease = true
  if (!forRelease) return undefined
  // Allocated at the first finding, at its exact size: most advisories have one or none.
  let findings: PackageFinding[] | undefined
  const seen = ctx.seen
  seen.reset()
  for (const rel of adv.releases) {
    if (rel.codename !== codename) continue
    for (const sf of rel.sources) {
      if (seen.has(sf.name)) continue
      seen.add(sf.name)
      const entry = ctx.bySource.get(sf.name)
      if (!entry) continue
      let f: PackageFinding | undefined
      if (entry.rest) f = assessPackages(ctx, sf.name, sf.fixedVersion, entry.rest, 'source')
      if (entry.abi.length > 0) {
        const kf = assessKernel(ctx, sf.name, sf.fixedVersion, entry.abi, adv.cves)
        if (kf) f = f ? merge(f, kf) : kf
        // The metapackage upgrade is this advisory's fix: its security update names the advisory.
        const meta = sf.name.replace(/^linux/, 'linux-meta')
        if (kf && kf.upgrades.length > 0 && ctx.bySource.get(meta)?.security)
          push(ctx.idsBySource, meta, adv.id)
      }
      if (f) {
        if (findings) findings.push(f)
        else findings = [f]
        if (entry.security) push(ctx.idsBySource, sf.name, adv.id)
      }
    }
    // Binary-only fixes: binaries whose source is not listed (or unknown) in this release entry.
    for (const bf of rel.binaries) {
      if (bf.source !== undefined && seen.has(bf.source)) continue
      const binKey = `bin:${bf.name}`
      if (seen.has(binKey)) continue
      const all = ctx.byName.get(bf.name)
      if (!all) continue
      const kept = all.list.filter((i) => !seen.has(i.src))
      if (kept.length === 0) continue
      seen.add(binKey)
      const installed = kept.length === all.list.length ? all : groupOf(kept)
      const f = assessPackages(ctx, bf.name, bf.fixedVersion, installed, 'binary')
      if (findings) findings.push(f)
      else findings = [f]
      if (ctx.bySource.get(bf.name)?.security) push(ctx.idsBySource, bf.name, adv.id)
    }
  }
  if (!findings) findings = []
  else if (findings.length > 1) {
    sortSmall(findings, bySource)
    findings = withCoveredMetapackages(findings)
  }
  const status = worst(findings)
  // Nothing to do for fixed / not-affected advisories: skip building a plan (most advisories, at scale).
  const idle = status === 'fixed' || status === 'not-affected'
  return {
    id: adv.id,
    title: adv.title,
    cves: adv.cves,
    priority: adv.priority,
    trust: adv.trust,
    status,
    packages: findings,
    mitigations: adv.mitigations,
    // Sources that disagree give no plan: "install X" beside "no verified fix" would be two answers at once
    // (docs/trust.md, "The verdict"); the archive's own security updates still carry the verified versions.
    steps:
      idle || adv.trust === 'conflict'
        ? NONE
        : buildSteps(planOf(ctx, findings, status === 'no-fix-yet' ? [noFixOf(ctx, adv)] : NONE)),
    disagreements: disagreementsFor(adv, codename),
  }
}

/** The advisory's fixed-version conflicts for this release, in a stable order. */
function disagreementsFor(adv: Advisory, codename: string): readonly Disagreement[] {
  if (adv.conflicts.length === 0) return NONE
  return adv.conflicts
    .filter((c) => c.codename === codename)
    .map((c) => ({
      package: c.packageName,
      claims: c.claims.map((cl) => ({
        fixedVersion: cl.fixedVersion,
        channels: [...new Set(cl.sources.map((s) => s.channelId))].sort(),
        signed: cl.sources.some((s) => s.signedBy !== undefined),
      })),
    }))
    .sort((a, b) => byString(a.package, b.package))
}

/**
 * An advisory with no verified fix, as a step sees it: its mitigation text only when a pinned key signed it
 * (docs/trust.md, "Mitigations"). Unsigned text is shown beside the advisory with the instruction checker's
 * verdict (main/core/check/mitigations.ts), never as a step; so is signed text the checker did not clear.
 */
function noFixOf(ctx: Context, adv: Advisory): GuidancePlan['noFix'][number] {
  if (adv.trust !== 'signed') return { id: adv.id, title: adv.title, mitigations: NONE }
  const mitigations = adv.mitigations.filter((t) => !ctx.refusedMitigations.has(`${adv.id}\u0000${t}`))
  if (mitigations.length === adv.mitigations.length) return { id: adv.id, title: adv.title, mitigations }
  return { id: adv.id, title: adv.title, mitigations, withheld: true }
}

function actionable(f: PackageFinding): boolean {
  return (
    f.status === 'fix-available' ||
    f.status === 'fix-on-other-mirror' ||
    f.status === 'livepatched' ||
    f.status === 'no-fix-yet'
  )
}

function planOf(
  ctx: Context,
  findings: readonly PackageFinding[],
  noFix: GuidancePlan['noFix'],
): GuidancePlan {
  let needsReboot = false
  let count = 0
  let only: PackageFinding | undefined
  for (const f of findings) {
    if (f.needsReboot) needsReboot = true
    if (actionable(f)) {
      count++
      only = f
    }
  }
  let upgrades: readonly InstallTarget[] = NONE
  let newInstalls: readonly InstallTarget[] = NONE
  if (count === 1 && only) {
    // One advisory's plan is usually one finding: no concatenation.
    upgrades = only.upgrades
    newInstalls = only.newInstalls
  } else if (count > 1) {
    const u: InstallTarget[] = []
    const n: InstallTarget[] = []
    for (const f of findings) {
      if (!actionable(f)) continue
      for (const t of f.upgrades) u.push(t)
      for (const t of f.newInstalls) n.push(t)
    }
    upgrades = u
    newInstalls = n
  }
  let covered = count > 0
  for (const f of findings) if (actionable(f) && f.status !== 'livepatched') covered = false
  return {
    upgrades: dedupeTargets(upgrades, sortCmp),
    newInstalls: dedupeTargets(newInstalls, sortCmp),
    livepatchCovered: covered,
    needsReboot,
    rebootReason: needsReboot ? 'the fix replaces the running kernel or a core library' : undefined,
    noFix,
    nativeArch: ctx.system.nativeArch,
    osId: ctx.system.os.id,
    needrestartInstalled: ctx.needrestart,
    recheckAdvisories: noFix.length > 0 || findings.length > 0,
  }
}

function buildContext(input: AssessInput): Context {
  const { system } = input
  const usedKeys = new Set<string>()
  for (const u of input.usedMirrors) {
    for (const c of u.components) usedKeys.add(`${normalizeMirrorUrl(u.url)}\u0000${u.suite}\u0000${c}`)
  }
  const installedNames = new Set<string>()
  for (const p of system.packages) installedNames.add(p.package)
  // One record per offered version; `used` is decided once per repository, not per comparison.
  const urlMemo = new Map<string, string>()
  const usedMemo = new Map<string, boolean>()
  const avail = new Map<string, Cand[]>()
  const kernelByPackage = new Map<string, Cand[]>()
  const imagesBy = new Map<string, { sorted: boolean; list: Cand[] }>()
  for (const a of input.available) {
    // Debian Policy 5.6.1 / 5.6.12: a name or version outside the syntax is never offered (and so never printed
    // in a command), whatever index it came from.
    if (
      !PACKAGE_NAME.test(a.package) ||
      !isValidDebianVersion(a.version) ||
      !isValidDebianVersion(a.sourceVersion)
    ) {
      continue
    }
    const isKernel = a.package.startsWith('linux-image-') || a.package.startsWith('linux-modules-')
    if (!isKernel && !installedNames.has(a.package)) continue
    const repo = `${a.mirrorId}\u0000${a.suite}\u0000${a.component}`
    const usedKey = `${a.mirrorUrl}\u0000${repo}`
    let used = usedMemo.get(usedKey)
    if (used === undefined) {
      let n = urlMemo.get(a.mirrorUrl)
      if (n === undefined) {
        n = normalizeMirrorUrl(a.mirrorUrl)
        urlMemo.set(a.mirrorUrl, n)
      }
      used = usedKeys.has(`${n}\u0000${a.suite}\u0000${a.component}`)
      usedMemo.set(usedKey, used)
    }
    const c: Cand = {
      a,
      used,
      repo,
      advSource: advisorySourceName(a.source),
      security: isSecuritySuite(a.suite),
    }
    if (isKernel) {
      push(kernelByPackage, a.package, c)
      const m = KERNEL_IMAGE.exec(a.package)
      if (m) {
        const key = `${c.advSource}\u0000${m[2] ?? ''}`
        const e = imagesBy.get(key)
        if (e) e.list.push(c)
        else imagesBy.set(key, { sorted: false, list: [c] })
      }
    }
    // `Architecture: all` binaries are installed as `all` and listed as `all` in every binary-<arch> index.
    if (installedNames.has(a.package)) push(avail, `${a.package}\u0000${a.arch}`, c)
  }
  const insts: Inst[] = []
  const sourceLists = new Map<string, Inst[]>()
  const nameLists = new Map<string, Inst[]>()
  for (const p of system.packages) {
    const i: Inst = {
      p,
      tk: `${p.package}:${p.architecture}`,
      src: advisorySourceName(p.source),
      cands: avail.get(`${p.package}\u0000${p.architecture}`) ?? NONE,
      ref: { package: p.package, arch: p.architecture, version: p.version, sourceVersion: p.sourceVersion },
      ev: { kind: 'dpkg-status', package: p.package, arch: p.architecture, version: p.version },
    }
    insts.push(i)
    push(sourceLists, i.src, i)
    push(nameLists, p.package, i)
  }
  const security = securityPicks(insts)
  const bySource = new Map<string, SourceEntry>()
  for (const [s, list] of sourceLists) {
    const all = groupOf(list)
    const abi = list.filter((i) => i.p.package.startsWith('linux-') && KERNEL_ABI_PACKAGE.test(i.p.package))
    const restList = abi.length === 0 ? list : list.filter((i) => !abi.includes(i))
    bySource.set(s, {
      all,
      abi,
      rest: restList.length === 0 ? undefined : restList === list ? all : groupOf(restList),
      security: (security.get(s)?.picks.length ?? 0) > 0,
    })
  }
  const byName = new Map<string, Group>()
  for (const [n, list] of nameLists) byName.set(n, groupOf(list))
  return {
    system,
    insts,
    bySource,
    byName,
    kernelByPackage,
    imagesBy,
    kernelSources: new Map(),
    livepatch: livepatchedCves(system.livepatch),
    rebootPkgs: new Set(system.rebootRequired.packages),
    needrestart: byName.has('needrestart'),
    refusedMitigations: new Set(
      (input.refusedMitigations ?? NONE).map((m) => `${m.advisoryId}\u0000${m.text}`),
    ),
    seen: new SeenNames(),
    security,
    idsBySource: new Map(),
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k)
  if (l) l.push(v)
  else m.set(k, [v])
}

interface SecurityGroup {
  readonly installed: Inst[]
  readonly picks: Choice[]
}

/** Per installed (advisory-named) source: its binaries and each one's best newer version in a security pocket. */
function securityPicks(insts: readonly Inst[]): Map<string, SecurityGroup> {
  const groups = new Map<string, SecurityGroup>()
  for (const i of insts) {
    let best: Cand | undefined
    for (const c of i.cands) {
      if (!c.security || (cmp(c.a.version, i.p.version) ?? 0) <= 0) continue
      const better =
        !best ||
        (c.used && !best.used) ||
        (c.used === best.used &&
          (sortCmp(c.a.version, best.a.version) > 0 ||
            (c.a.version === best.a.version &&
              byString(`${c.a.mirrorId} ${c.a.suite}`, `${best.a.mirrorId} ${best.a.suite}`) < 0)))
      if (better) best = c
    }
    const g = groups.get(i.src)
    if (g) {
      g.installed.push(i)
      if (best) g.picks.push({ target: i, cand: best })
    } else groups.set(i.src, { installed: [i], picks: best ? [{ target: i, cand: best }] : [] })
  }
  return groups
}

function securityUpdates(
  groups: ReadonlyMap<string, SecurityGroup>,
  advisoryIdsBySource: ReadonlyMap<string, readonly string[]>,
  input: AssessInput,
): SecurityUpdate[] {
  const evidence = new Map<string, readonly string[]>()
  for (const e of input.archiveEvidence ?? []) evidence.set(`${e.source}\u0000${e.version}`, e.cves)
  const out: SecurityUpdate[] = []
  for (const [source, g] of groups) {
    if (g.picks.length === 0) continue
    const upgrades = g.picks
      .map(({ target, cand }) => upgradeTarget(target, cand))
      .sort((a, b) => byString(a.package, b.package) || byString(a.arch, b.arch))
    let installedSourceVersion = g.installed[0]?.p.sourceVersion ?? ''
    for (const i of g.installed)
      if (sortCmp(i.p.sourceVersion, installedSourceVersion) > 0) installedSourceVersion = i.p.sourceVersion
    let newSourceVersion = g.picks[0]?.cand.a.sourceVersion ?? ''
    for (const { cand } of g.picks)
      if (sortCmp(cand.a.sourceVersion, newSourceVersion) > 0) newSourceVersion = cand.a.sourceVersion
    out.push({
      source,
      installedSourceVersion,
      newSourceVersion,
      upgrades,
      onUsedMirror: upgrades.every((u) => u.repository.used),
      advisoryIds: advisoryIdsBySource.get(source) ?? [],
      cves: [...(evidence.get(`${source}\u0000${newSourceVersion}`) ?? [])].sort(),
    })
  }
  return out.sort((a, b) => byString(a.source, b.source))
}

function kernelSummary(ctx: Context): KernelAssessment {
  const k = ctx.system.kernel
  const images = ctx.system.packages.filter((p) => {
    const m = KERNEL_IMAGE.exec(p.package)
    return m !== null && (k === undefined || m[2] === k.flavour)
  })
  let newest: InstalledPackage | undefined
  for (const p of images) if (!newest || sortCmp(p.sourceVersion, newest.sourceVersion) > 0) newest = p
  const runningImage = k ? images.find((p) => p.package.endsWith(`-${k.release}`)) : undefined
  const runningVersion = k?.packageVersion ?? runningImage?.sourceVersion
  return {
    running: k?.release,
    runningVersion,
    newestInstalled: newest?.package,
    newerInstalled:
      newest !== undefined &&
      runningVersion !== undefined &&
      (cmp(newest.sourceVersion, runningVersion) ?? 0) > 0,
    livepatchCves: [...ctx.livepatch].sort(),
  }
}

interface Pair {
  readonly r: AdvisoryAssessment
  readonly adv: Advisory
}

function byId(x: Pair, y: Pair): number {
  return byString(x.r.id, y.r.id)
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
  const codename = input.system.os.codename ?? ''
  const results: AdvisoryAssessment[] = []
  let otherReleases = 0
  const { idsBySource } = ctx
  // Bucketed by the numeric sort key (priority, trust, more urgent status first; under 600 values), so that
  // only advisories with equal keys are compared by id (string comparison is the costly part of sorting).
  const buckets: Pair[][] = []
  for (const adv of input.advisories) {
    const a = assessAdvisory(ctx, adv, codename)
    if (!a) {
      otherReleases++
      continue
    }
    // One numeric sort key per advisory (priority, trust, more urgent status first) instead of table lookups in
    // every comparison.
    const k =
      (PRIORITY_RANK[a.priority ?? ''] ?? 5) * 100 +
      TRUST_RANK[a.trust] * 10 +
      (STATUS_RANK['no-fix-yet'] - STATUS_RANK[a.status])
    const b = buckets[k]
    if (b) b.push({ r: a, adv })
    else buckets[k] = [{ r: a, adv }]
  }
  for (const [src, l] of idsBySource) {
    if (l.length > 1) idsBySource.set(src, [...new Set(l)].sort(byString))
  }
  const pairs: Pair[] = []
  for (let k = 0; k < buckets.length; k++) {
    const b = buckets[k]
    if (!b) continue
    // Advisories often arrive in id order already; the sort is stable, as a single sort by (key, id) was.
    let sorted = true
    for (let i = 1; i < b.length && sorted; i++) if (byId(b[i - 1] as Pair, b[i] as Pair) > 0) sorted = false
    if (!sorted) b.sort(byId)
    for (const p of b) pairs.push(p)
  }
  const counts: Record<AssessmentStatus, number> = {
    fixed: 0,
    livepatched: 0,
    'fixed-pending-reboot': 0,
    'fix-available': 0,
    'fix-on-other-mirror': 0,
    'no-fix-yet': 0,
    'not-affected': 0,
  }
  // The global plan is built from key-backed advisories only: unsigned ones are shown, unconfirmed, with their own
  // steps, but never decide what to do (docs/trust.md, "The verdict").
  const actionableFindings: PackageFinding[] = []
  const noFix: GuidancePlan['noFix'][number][] = []
  for (const { r, adv } of pairs) {
    results.push(r)
    counts[r.status]++
    if (!isKeyBacked(r.trust)) continue
    if (r.status === 'no-fix-yet') noFix.push(noFixOf(ctx, adv))
    if (r.status !== 'fixed' && r.status !== 'not-affected')
      for (const f of r.packages) actionableFindings.push(f)
  }
  const updates = securityUpdates(ctx.security, idsBySource, input)

  // Global plan: every key-backed advisory's fixes plus the archive's security updates, on this machine's mirrors
  // or another verified one. An update in a verified `-security` pocket is signed by the archive key, so it counts
  // wherever it is (the outage day: the machine's own mirror down, another mirror has the fix); the steps then add
  // that mirror as a temporary deb822 source with Signed-By, install, and remove the source again.
  const base = planOf(ctx, actionableFindings, noFix)
  const extra = updates.flatMap((u) => u.upgrades)
  const kernel = kernelSummary(ctx)
  const rebootRequired = input.system.rebootRequired.required
  const needsReboot =
    base.needsReboot || rebootRequired || results.some((r) => r.status === 'fixed-pending-reboot')
  // "Nothing is urgent" holds only when every archive update is the install of a Livepatch-covered advisory too,
  // every CVE its changelog names included (main/core/check/predicates.ts isCoveredUpdate, the verdict's rule too).
  const covered = new Set(
    results.filter((r) => r.status === 'livepatched' && isKeyBacked(r.trust)).map((r) => r.id),
  )
  const steps = buildSteps({
    ...base,
    livepatchCovered:
      base.livepatchCovered === true && updates.every((u) => isCoveredUpdate(u, covered, ctx.livepatch)),
    upgrades: dedupeTargets([...base.upgrades, ...extra], sortCmp),
    needsReboot,
    rebootReason: rebootRequired
      ? 'the system reports that a restart is required'
      : needsReboot
        ? 'a newer kernel or core library is installed but not yet running'
        : undefined,
  })
  return {
    generatedAt: input.now,
    release: {
      id: input.system.os.id,
      codename: input.system.os.codename,
      versionId: input.system.os.versionId,
    },
    advisories: results,
    otherReleases,
    securityUpdates: updates,
    kernel,
    rebootRequired,
    mirrorsVerified: input.mirrorsVerified ?? input.available.length > 0,
    counts,
    steps,
  }
}
