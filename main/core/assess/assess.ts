/**
 * The assessment: joins the local system, the verified mirrors and the advisories into a verdict per advisory,
 * the archive's own security updates and numbered steps (DESIGN.md, "What Lifeline computes"; issue 5).
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
import { buildSteps, dedupeTargets, type GuidancePlan } from './guidance'
import type {
  AdvisoryAssessment,
  Assessment,
  AssessInput,
  AssessmentStatus,
  AvailableVersion,
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
  'fixed-pending-reboot': 2,
  'fix-available': 3,
  'fix-on-other-mirror': 4,
  'no-fix-yet': 5,
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
 * Trust, strongest first (DESIGN.md trust model points 4-5). A `conflict` sorts before `single-source` so that a
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

/** dpkg ordering for sorting: invalid versions sort lowest, then by string, so sorting stays total. */
function sortCmp(a: string, b: string): number {
  const c = cmp(a, b)
  if (c !== undefined) return c
  return a < b ? -1 : a > b ? 1 : 0
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
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

interface Context {
  readonly system: LocalSystem
  readonly bySource: Map<string, InstalledPackage[]>
  readonly byName: Map<string, InstalledPackage[]>
  readonly avail: Map<string, AvailableVersion[]>
  readonly kernelImages: AvailableVersion[]
  readonly used: (a: AvailableVersion) => boolean
  readonly livepatch: ReadonlySet<string>
  readonly rebootPkgs: ReadonlySet<string>
  /** Installed kernel ABI package names, and the (advisory-named) sources that have any. */
  readonly kernelAbi: ReadonlySet<string>
  readonly hasKernelAbi: ReadonlySet<string>
  /** Reused per advisory (sources already seen), to avoid one Set allocation per advisory. */
  readonly scratch: Set<string>
}

function repoOf(a: AvailableVersion, used: boolean): FixRepository {
  return { mirrorId: a.mirrorId, mirrorUrl: a.mirrorUrl, suite: a.suite, component: a.component, used }
}

// Refs and dpkg evidence are immutable per installed package: built once and shared by every finding (at 10,000
// advisories, allocation is the main cost of an assessment).
const REFS = new WeakMap<InstalledPackage, { ref: InstalledRef; ev: Evidence }>()

function shared(p: InstalledPackage): { ref: InstalledRef; ev: Evidence } {
  let r = REFS.get(p)
  if (!r) {
    r = {
      ref: { package: p.package, arch: p.architecture, version: p.version, sourceVersion: p.sourceVersion },
      ev: { kind: 'dpkg-status', package: p.package, arch: p.architecture, version: p.version },
    }
    REFS.set(p, r)
  }
  return r
}

function mirrorEvidence(
  t: Pick<InstallTarget, 'package' | 'arch' | 'version'>,
  a: AvailableVersion,
): Evidence {
  return {
    kind: 'verified-mirror',
    mirrorId: a.mirrorId,
    mirrorUrl: a.mirrorUrl,
    suite: a.suite,
    component: a.component,
    package: t.package,
    arch: t.arch,
    version: t.version,
    verifiedAt: a.verifiedAt,
  }
}

interface Choice {
  readonly target: InstalledPackage
  readonly cand: AvailableVersion
}

interface RepoPicks {
  readonly key: string
  readonly first: AvailableVersion
  readonly used: boolean
  readonly picks: Map<string, AvailableVersion>
  maxSourceVersion: string
}

/**
 * Chooses where each below-fix binary gets its fixed version.
 *
 * One repository (mirror × suite × component) is preferred for the whole source package, because its binaries
 * depend on each other at exactly equal versions: a used repository first, then the one covering most binaries,
 * then the highest source version, then by name. Binaries it lacks are taken from the next repositories in the
 * same order.
 */
function chooseFix(
  ctx: Context,
  targets: readonly InstalledPackage[],
  accept: (c: AvailableVersion, t: InstalledPackage) => boolean,
): { picks: Choice[]; missing: string[] } {
  const repos = new Map<string, RepoPicks>()
  for (const t of targets) {
    for (const c of ctx.avail.get(`${t.package}\u0000${t.architecture}`) ?? []) {
      if (!accept(c, t)) continue
      if ((cmp(c.version, t.version) ?? 0) <= 0) continue
      const key = `${c.mirrorId}\u0000${c.suite}\u0000${c.component}`
      let r = repos.get(key)
      if (!r) {
        r = { key, first: c, used: ctx.used(c), picks: new Map(), maxSourceVersion: c.sourceVersion }
        repos.set(key, r)
      }
      const tk = `${t.package}:${t.architecture}`
      const cur = r.picks.get(tk)
      if (!cur || sortCmp(c.version, cur.version) > 0) r.picks.set(tk, c)
      if (sortCmp(c.sourceVersion, r.maxSourceVersion) > 0) r.maxSourceVersion = c.sourceVersion
    }
  }
  const ranked = [...repos.values()].sort(
    (a, b) =>
      Number(b.used) - Number(a.used) ||
      b.picks.size - a.picks.size ||
      sortCmp(b.maxSourceVersion, a.maxSourceVersion) ||
      byString(a.key, b.key),
  )
  const picks: Choice[] = []
  const missing: string[] = []
  for (const t of targets) {
    const tk = `${t.package}:${t.architecture}`
    const r = ranked.find((x) => x.picks.has(tk))
    const cand = r?.picks.get(tk)
    if (cand) picks.push({ target: t, cand })
    else missing.push(tk)
  }
  return { picks, missing }
}

function finding(
  source: string,
  fixedVersion: string | undefined,
  status: AssessmentStatus,
  installed: readonly InstalledPackage[],
  extra: Partial<Pick2> = {},
): PackageFinding {
  return {
    source,
    fixedVersion,
    status,
    installed: installed.map((p) => shared(p).ref),
    upgrades: extra.upgrades ?? [],
    newInstalls: extra.newInstalls ?? [],
    missing: extra.missing ?? [],
    needsReboot: extra.needsReboot ?? false,
    evidence: installed.map((p) => shared(p).ev).concat(extra.evidence ?? []),
  }
}

interface Pick2 {
  upgrades: InstallTarget[]
  newInstalls: InstallTarget[]
  missing: string[]
  needsReboot: boolean
  evidence: Evidence[]
}

/** Ordinary (non-kernel-ABI) binaries of one source or one binary-only fix. */
function assessPackages(
  ctx: Context,
  name: string,
  fixed: string | undefined,
  installed: readonly InstalledPackage[],
  mode: 'source' | 'binary',
): PackageFinding {
  if (fixed === undefined) return finding(name, fixed, 'no-fix-yet', installed)
  const versionOf = (p: InstalledPackage): string => (mode === 'source' ? p.sourceVersion : p.version)
  const below: InstalledPackage[] = []
  for (const p of installed) {
    const c = cmp(versionOf(p), fixed)
    if (c === undefined) {
      return finding(name, fixed, 'no-fix-yet', installed, {
        evidence: [{ kind: 'bad-version', version: fixed }],
      })
    }
    if (c < 0) below.push(p)
  }
  if (below.length === 0) {
    const pending = installed.filter((p) => ctx.rebootPkgs.has(p.package) || ctx.rebootPkgs.has(p.source))
    if (pending.length > 0) {
      return finding(name, fixed, 'fixed-pending-reboot', installed, {
        needsReboot: true,
        evidence: [{ kind: 'reboot-required', packages: pending.map((p) => p.package) }],
      })
    }
    return finding(name, fixed, 'fixed', installed)
  }
  const { picks, missing } = chooseFix(ctx, below, (c) =>
    mode === 'source'
      ? advisorySourceName(c.source) === name && (cmp(c.sourceVersion, fixed) ?? -1) >= 0
      : (cmp(c.version, fixed) ?? -1) >= 0,
  )
  if (picks.length === 0) return finding(name, fixed, 'no-fix-yet', installed, { missing })
  const upgrades = picks.map(({ target, cand }) => ({
    package: target.package,
    arch: target.architecture,
    installed: target.version,
    version: cand.version,
    repository: repoOf(cand, ctx.used(cand)),
  }))
  const status = upgrades.every((u) => u.repository.used) ? 'fix-available' : 'fix-on-other-mirror'
  return finding(name, fixed, status, installed, {
    upgrades,
    missing,
    evidence: picks.map((p, i) => mirrorEvidence(upgrades[i] as InstallTarget, p.cand)),
  })
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
  abiPkgs: readonly InstalledPackage[],
  cves: readonly string[],
): PackageFinding | undefined {
  const k = ctx.system.kernel
  const images = abiPkgs.filter((p) => KERNEL_IMAGE.test(p.package))
  const runningImage = k
    ? images.find(
        (p) => p.package === `linux-image-${k.release}` || p.package === `linux-image-unsigned-${k.release}`,
      )
    : undefined
  if (k && !runningImage) return undefined
  const flavour = k?.flavour ?? KERNEL_IMAGE.exec(images[0]?.package ?? '')?.[2]
  const sameFlavour = images.filter((p) => KERNEL_IMAGE.exec(p.package)?.[2] === flavour)
  let newest: InstalledPackage | undefined
  for (const p of sameFlavour) if (!newest || sortCmp(p.sourceVersion, newest.sourceVersion) > 0) newest = p
  const runningVersion = k?.packageVersion ?? runningImage?.sourceVersion ?? newest?.sourceVersion
  const evidence: Evidence[] = []
  if (k) evidence.push({ kind: 'running-kernel', release: k.release, version: runningVersion, from: k.from })
  if (newest)
    evidence.push({ kind: 'newest-installed-kernel', package: newest.package, version: newest.sourceVersion })
  const shown = runningImage ? [runningImage] : newest ? [newest] : []
  if (fixed === undefined) return finding(source, fixed, 'no-fix-yet', shown, { evidence })
  if (runningVersion === undefined) return undefined
  const rc = cmp(runningVersion, fixed)
  if (rc === undefined) {
    return finding(source, fixed, 'no-fix-yet', shown, {
      evidence: [...evidence, { kind: 'bad-version', version: fixed }],
    })
  }
  if (rc >= 0) return finding(source, fixed, 'fixed', shown, { evidence })
  const covered = cves.length > 0 && cves.every((c) => ctx.livepatch.has(c))
  if (covered) {
    return finding(source, fixed, 'fixed', shown, {
      evidence: [...evidence, { kind: 'livepatch', cves: [...cves] }],
    })
  }
  if (newest && (cmp(newest.sourceVersion, fixed) ?? -1) >= 0) {
    return finding(source, fixed, 'fixed-pending-reboot', [...new Set([...shown, newest])], {
      needsReboot: true,
      evidence,
    })
  }
  // A newer kernel is needed: find a fixed image of the running flavour on a verified mirror.
  const imageCands = ctx.kernelImages
    .filter((c) => {
      const m = KERNEL_IMAGE.exec(c.package)
      return (
        m !== null &&
        m[2] === flavour &&
        advisorySourceName(c.source) === source &&
        (cmp(c.sourceVersion, fixed) ?? -1) >= 0
      )
    })
    .sort(
      (a, b) =>
        Number(ctx.used(b)) - Number(ctx.used(a)) ||
        sortCmp(b.sourceVersion, a.sourceVersion) ||
        byString(`${a.mirrorId} ${a.suite} ${a.package}`, `${b.mirrorId} ${b.suite} ${b.package}`),
    )
  const image = imageCands[0]
  if (!image) return finding(source, fixed, 'no-fix-yet', shown, { evidence })
  const repoMatch = (c: AvailableVersion): boolean =>
    c.mirrorId === image.mirrorId && c.suite === image.suite && c.component === image.component
  // Metapackages (`linux-generic`, `linux-image-generic`, ... from `linux-meta*`) pull the new ABI in; upgrading
  // them is what `apt upgrade` would do and keeps future kernel updates flowing.
  const metaSource = source.replace(/^linux/, 'linux-meta')
  const metas = (ctx.bySource.get(metaSource) ?? []).filter((p) => !KERNEL_ABI_PACKAGE.test(p.package))
  const upgrades: InstallTarget[] = []
  for (const m of metas) {
    let best: AvailableVersion | undefined
    for (const c of ctx.avail.get(`${m.package}\u0000${m.architecture}`) ?? []) {
      if (!repoMatch(c) || (cmp(c.version, m.version) ?? 0) <= 0) continue
      if (!best || sortCmp(c.version, best.version) > 0) best = c
    }
    if (best) {
      upgrades.push({
        package: m.package,
        arch: m.architecture,
        installed: m.version,
        version: best.version,
        repository: repoOf(best, ctx.used(best)),
      })
    }
  }
  const newInstalls: InstallTarget[] = []
  if (upgrades.length === 0) {
    const abi = KERNEL_IMAGE.exec(image.package)?.[1] ?? ''
    const wanted = new Set([image.package, `linux-modules-${abi}-${flavour}`])
    for (const c of ctx.kernelImages) {
      if (!wanted.has(c.package) || !repoMatch(c) || c.sourceVersion !== image.sourceVersion) continue
      if (newInstalls.some((t) => t.package === c.package)) continue
      newInstalls.push({
        package: c.package,
        arch: c.arch,
        installed: undefined,
        version: c.version,
        repository: repoOf(c, ctx.used(c)),
      })
    }
    newInstalls.sort((a, b) => byString(a.package, b.package))
  }
  const targets = [...upgrades, ...newInstalls]
  return finding(
    source,
    fixed,
    targets.every((t) => t.repository.used) ? 'fix-available' : 'fix-on-other-mirror',
    shown,
    {
      upgrades,
      newInstalls,
      needsReboot: true,
      evidence: [...evidence, mirrorEvidence(image, image)],
    },
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
  if (!adv.releases.some((r) => r.codename === codename)) return undefined
  const findings: PackageFinding[] = []
  const seenSources = ctx.scratch
  seenSources.clear()
  for (const rel of adv.releases) {
    if (rel.codename !== codename) continue
    for (const sf of rel.sources) {
      if (seenSources.has(sf.name)) continue
      seenSources.add(sf.name)
      const installed = ctx.bySource.get(sf.name) ?? []
      if (installed.length === 0) continue
      const abi = ctx.hasKernelAbi.has(sf.name) ? installed.filter((p) => ctx.kernelAbi.has(p.package)) : []
      const rest = abi.length === 0 ? installed : installed.filter((p) => !ctx.kernelAbi.has(p.package))
      let f: PackageFinding | undefined
      if (rest.length > 0) f = assessPackages(ctx, sf.name, sf.fixedVersion, rest, 'source')
      if (abi.length > 0) {
        const kf = assessKernel(ctx, sf.name, sf.fixedVersion, abi, adv.cves)
        if (kf) f = f ? merge(f, kf) : kf
      }
      if (f) findings.push(f)
    }
    // Binary-only fixes: binaries whose source is not listed (or unknown) in this release entry.
    for (const bf of rel.binaries) {
      if (bf.source !== undefined && seenSources.has(bf.source)) continue
      if (seenSources.has(`bin:${bf.name}`)) continue
      const installed = (ctx.byName.get(bf.name) ?? []).filter(
        (p) => !seenSources.has(advisorySourceName(p.source)),
      )
      if (installed.length === 0) continue
      seenSources.add(`bin:${bf.name}`)
      findings.push(assessPackages(ctx, bf.name, bf.fixedVersion, installed, 'binary'))
    }
  }
  if (findings.length > 1) findings.sort((a, b) => byString(a.source, b.source))
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
    steps: idle ? [] : buildSteps(planOf(ctx, findings, status === 'no-fix-yet' ? [adv] : [])),
  }
}

function planOf(ctx: Context, findings: readonly PackageFinding[], noFix: readonly Advisory[]): GuidancePlan {
  const actionable = findings.filter(
    (f) => f.status === 'fix-available' || f.status === 'fix-on-other-mirror' || f.status === 'no-fix-yet',
  )
  const needsReboot = findings.some((f) => f.needsReboot)
  return {
    upgrades: dedupeTargets(
      actionable.flatMap((f) => f.upgrades),
      sortCmp,
    ),
    newInstalls: dedupeTargets(
      actionable.flatMap((f) => f.newInstalls),
      sortCmp,
    ),
    needsReboot,
    rebootReason: needsReboot ? 'the fix replaces the running kernel or a core library' : undefined,
    noFix: noFix.map((a) => ({ id: a.id, title: a.title, mitigations: a.mitigations })),
    nativeArch: ctx.system.nativeArch,
    osId: ctx.system.os.id,
  }
}

function buildContext(input: AssessInput): Context {
  const { system } = input
  const bySource = new Map<string, InstalledPackage[]>()
  const byName = new Map<string, InstalledPackage[]>()
  const kernelAbi = new Set<string>()
  const hasKernelAbi = new Set<string>()
  for (const p of system.packages) {
    const s = advisorySourceName(p.source)
    if (p.package.startsWith('linux-') && KERNEL_ABI_PACKAGE.test(p.package)) {
      kernelAbi.add(p.package)
      hasKernelAbi.add(s)
    }
    const l = bySource.get(s)
    if (l) l.push(p)
    else bySource.set(s, [p])
    const n = byName.get(p.package)
    if (n) n.push(p)
    else byName.set(p.package, [p])
  }
  const avail = new Map<string, AvailableVersion[]>()
  const kernelImages: AvailableVersion[] = []
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
    if (a.package.startsWith('linux-image-') || a.package.startsWith('linux-modules-')) kernelImages.push(a)
    if (!byName.has(a.package)) continue
    // `Architecture: all` binaries are installed as `all` and listed as `all` in every binary-<arch> index.
    const key = `${a.package}\u0000${a.arch}`
    const l = avail.get(key)
    if (l) l.push(a)
    else avail.set(key, [a])
  }
  const usedKeys = new Set<string>()
  for (const u of input.usedMirrors) {
    for (const c of u.components) usedKeys.add(`${normalizeMirrorUrl(u.url)}\u0000${u.suite}\u0000${c}`)
  }
  const urlMemo = new Map<string, string>()
  const used = (a: AvailableVersion): boolean => {
    let n = urlMemo.get(a.mirrorUrl)
    if (n === undefined) {
      n = normalizeMirrorUrl(a.mirrorUrl)
      urlMemo.set(a.mirrorUrl, n)
    }
    return usedKeys.has(`${n}\u0000${a.suite}\u0000${a.component}`)
  }
  return {
    system,
    bySource,
    byName,
    avail,
    kernelImages,
    used,
    livepatch: livepatchedCves(system.livepatch),
    rebootPkgs: new Set(system.rebootRequired.packages),
    kernelAbi,
    hasKernelAbi,
    scratch: new Set(),
  }
}

function securityUpdates(
  ctx: Context,
  advisoryIdsBySource: ReadonlyMap<string, readonly string[]>,
  input: AssessInput,
): SecurityUpdate[] {
  const groups = new Map<string, { installed: InstalledPackage[]; picks: Choice[] }>()
  for (const p of ctx.system.packages) {
    let best: AvailableVersion | undefined
    let bestUsed = false
    for (const c of ctx.avail.get(`${p.package}\u0000${p.architecture}`) ?? []) {
      if (!isSecuritySuite(c.suite) || (cmp(c.version, p.version) ?? 0) <= 0) continue
      const u = ctx.used(c)
      const better =
        !best ||
        (u && !bestUsed) ||
        (u === bestUsed &&
          (sortCmp(c.version, best.version) > 0 ||
            (c.version === best.version &&
              byString(`${c.mirrorId} ${c.suite}`, `${best.mirrorId} ${best.suite}`) < 0)))
      if (better) {
        best = c
        bestUsed = u
      }
    }
    const src = advisorySourceName(p.source)
    const g = groups.get(src) ?? { installed: [], picks: [] }
    g.installed.push(p)
    if (best) g.picks.push({ target: p, cand: best })
    groups.set(src, g)
  }
  const evidence = new Map<string, readonly string[]>()
  for (const e of input.archiveEvidence ?? []) evidence.set(`${e.source}\u0000${e.version}`, e.cves)
  const out: SecurityUpdate[] = []
  for (const [source, g] of groups) {
    if (g.picks.length === 0) continue
    const upgrades = g.picks
      .map(({ target, cand }) => ({
        package: target.package,
        arch: target.architecture,
        installed: target.version,
        version: cand.version,
        repository: repoOf(cand, ctx.used(cand)),
      }))
      .sort((a, b) => byString(a.package, b.package) || byString(a.arch, b.arch))
    let installedSourceVersion = g.installed[0]?.sourceVersion ?? ''
    for (const p of g.installed)
      if (sortCmp(p.sourceVersion, installedSourceVersion) > 0) installedSourceVersion = p.sourceVersion
    let newSourceVersion = g.picks[0]?.cand.sourceVersion ?? ''
    for (const { cand } of g.picks)
      if (sortCmp(cand.sourceVersion, newSourceVersion) > 0) newSourceVersion = cand.sourceVersion
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

/**
 * Assesses this machine.
 *
 * Per advisory naming this release (`system.os.codename`): fixed, fixed-pending-reboot, fix-available,
 * fix-on-other-mirror, no-fix-yet or not-affected, with per-package installed and fixed versions, the install
 * targets and the evidence. Plus every installed package with a newer version in a verified `-security` pocket
 * (DESIGN.md trust point 5: the archive itself is evidence), and steps for everything at once.
 */
export function assess(input: AssessInput): Assessment {
  const ctx = buildContext(input)
  const codename = input.system.os.codename ?? ''
  const results: AdvisoryAssessment[] = []
  let otherReleases = 0
  const idsBySource = new Map<string, string[]>()
  const pairs: { r: AdvisoryAssessment; adv: Advisory; k: number }[] = []
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
    pairs.push({ r: a, adv, k })
    for (const f of a.packages) {
      const l = idsBySource.get(f.source)
      if (l) l.push(a.id)
      else idsBySource.set(f.source, [a.id])
    }
  }
  for (const [src, l] of idsBySource) {
    if (l.length > 1) idsBySource.set(src, [...new Set(l)].sort(byString))
  }
  pairs.sort((x, y) => x.k - y.k || byString(x.r.id, y.r.id))
  const counts: Record<AssessmentStatus, number> = {
    fixed: 0,
    'fixed-pending-reboot': 0,
    'fix-available': 0,
    'fix-on-other-mirror': 0,
    'no-fix-yet': 0,
    'not-affected': 0,
  }
  const actionableFindings: PackageFinding[] = []
  const noFix: Advisory[] = []
  for (const { r, adv } of pairs) {
    results.push(r)
    counts[r.status]++
    if (r.status === 'no-fix-yet') noFix.push(adv)
    if (r.status !== 'fixed' && r.status !== 'not-affected')
      for (const f of r.packages) actionableFindings.push(f)
  }
  const updates = securityUpdates(ctx, idsBySource, input)

  // Global plan: every advisory's fixes plus the archive's security updates. Archive-only updates from a mirror
  // this machine does not use are included only when that repository is already being added for an advisory,
  // so the archive evidence alone never makes Lifeline suggest a new source.
  const base = planOf(ctx, actionableFindings, noFix)
  const tempRepos = new Set(
    [...base.upgrades, ...base.newInstalls]
      .filter((t) => !t.repository.used)
      .map((t) => repoKey(t.repository)),
  )
  const extra = updates
    .flatMap((u) => u.upgrades)
    .filter((t) => t.repository.used || tempRepos.has(repoKey(t.repository)))
  const kernel = kernelSummary(ctx)
  const rebootRequired = input.system.rebootRequired.required
  const needsReboot =
    base.needsReboot || rebootRequired || results.some((r) => r.status === 'fixed-pending-reboot')
  const steps = buildSteps({
    ...base,
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

function repoKey(r: FixRepository): string {
  return `${r.mirrorUrl}\u0000${r.suite}\u0000${r.component}`
}

/** Used by tests and callers that sort with dpkg semantics without importing the apt layer. */
export function compareVersionsForSort(a: string, b: string): number {
  return sortCmp(a, b)
}
