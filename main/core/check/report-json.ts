/**
 * One vocabulary for a check's results outside the engine: JSON-safe views of the core types, with the field names
 * of the public `lifeline.check/1` report (docs/cli.md, docs/check-report.schema.json).
 *
 * `lifeline check --json` (main/cli/commands/check.ts) is built from these views, and the app's DTOs
 * (main/node/dto.ts, preload/contract/dto.ts) are these views plus what only the window needs (durations in
 * words, privacy notes, the app's re-check step). So a field means the same thing, under the same name, in the
 * report a fleet parses and in the window a person reads. Key order is the report's: it is printed as is.
 */
import type {
  AdvisoryAssessment,
  Assessment,
  Evidence,
  GuidanceStep,
  InstallTarget,
  PackageFinding,
  SecurityUpdate,
} from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import type { MirrorSuiteStatus } from '../model'
import { isoTimeOrNull, secondsOrNull } from '../time-format'
import type { CheckCoverage } from './coverage'
import type { MitigationCheck } from './mitigations'
import { isAuthenticState } from './predicates'

/** One mirror × suite. `verified`: its signed data is authentic, current or old (`isAuthenticState`). */
export interface MirrorJson {
  readonly id: string
  readonly name: string
  readonly url: string
  readonly suite: string
  readonly status: MirrorSuiteStatus['state']
  readonly verified: boolean
  readonly detail: string
  readonly code: string | null
  readonly releaseDate: string | null
  readonly validUntil: string | null
  readonly signedBy: string | null
  readonly lagSeconds: number | null
  readonly dataAgeSeconds: number | null
}

/** One advisory channel. */
export interface ChannelJson {
  readonly id: string
  readonly name: string
  readonly type: string
  readonly status: ChannelStatus['state']
  readonly detail: string
  readonly code: string | null
  readonly verifiedAt: string | null
  readonly advisoryCount: number
  readonly signedBy: string | null
}

/** One numbered step. */
export interface StepJson {
  readonly number: number
  readonly kind: GuidanceStep['kind']
  readonly text: string
  readonly command: string | null
  readonly file: { readonly path: string; readonly content: string } | null
}

/** One package to install, with the repository it comes from. */
export interface TargetJson {
  readonly package: string
  readonly arch: string
  readonly installed: string | null
  readonly version: string
  readonly mirror: string
  readonly mirrorUrl: string
  readonly suite: string
  readonly component: string
  readonly onUsedMirror: boolean
}

/** What an advisory says about one source package, checked against this computer. */
export interface PackageFindingJson {
  readonly source: string
  readonly status: PackageFinding['status']
  readonly fixedVersion: string | null
  readonly installed: readonly { readonly package: string; readonly arch: string; readonly version: string }[]
  readonly upgrades: readonly TargetJson[]
  readonly newInstalls: readonly TargetJson[]
  readonly missing: readonly string[]
  readonly needsReboot: boolean
}

/** One advisory; its evidence is the report's records or the app's sentences (`E`). */
export interface AdvisoryJson<E = Readonly<Record<string, unknown>>> {
  readonly id: string
  readonly title: string
  readonly cves: readonly string[]
  readonly priority: string | null
  readonly status: AdvisoryAssessment['status']
  readonly trust: AdvisoryAssessment['trust']
  readonly packages: readonly PackageFindingJson[]
  readonly evidence: readonly E[]
  readonly mitigations: readonly string[]
  readonly steps: readonly StepJson[]
  /** Channels disagreeing on a fixed version for this release; every claim is kept (docs/trust.md, point 4). */
  readonly disagreements: AdvisoryAssessment['disagreements']
}

/** One archive security update. */
export interface SecurityUpdateJson {
  readonly source: string
  readonly installedVersion: string
  readonly newVersion: string
  readonly cves: readonly string[]
  readonly advisories: readonly string[]
  readonly onUsedMirror: boolean
  readonly upgrades: readonly TargetJson[]
}

/** The release this computer runs. */
export interface ReleaseJson {
  readonly id: string
  readonly codename: string | null
  readonly versionId: string | null
}

/** The kernel picture. */
export interface KernelJson {
  readonly running: string | null
  readonly runningVersion: string | null
  readonly newestInstalled: string | null
  readonly newerInstalled: boolean
  readonly rebootRequired: boolean
  readonly livepatchCves: readonly string[]
}

/** What a check saw, from which its verdict is drawn (docs/cli.md, "The coverage record"). */
export interface CoverageJson {
  readonly release: {
    readonly id: string | null
    readonly codename: string | null
    readonly name: string | null
    readonly served: boolean
  }
  readonly securityPocket: {
    readonly suite: string | null
    readonly state: CheckCoverage['securityPocket']['state']
    readonly currentOn: readonly string[]
    readonly oldOn: readonly string[]
    readonly newestReleaseDate: string | null
    readonly releaseAgeSeconds: number | null
  }
  readonly mirrors: readonly {
    readonly id: string
    readonly name: string
    readonly url: string
    readonly usedByThisMachine: boolean
    readonly verified: boolean
  }[]
  readonly unverifiedSources: readonly string[]
  readonly advisorySources: {
    readonly read: number
    readonly total: number
    readonly newestReadAt: string | null
  }
  readonly packagesOutsideVerifiedArchive: number | null
  readonly evidenceGaps: CheckCoverage['evidenceGaps']
}

/** Mitigation text of an advisory affecting this computer, with its source and the instruction checker's verdict. */
export interface MitigationJson {
  readonly advisory: string
  readonly trust: MitigationCheck['trust']
  readonly text: string
  readonly checker: MitigationCheck['checker']
  readonly asStep: boolean
}

/** A mirror × suite status. */
export function mirrorJson(m: MirrorSuiteStatus): MirrorJson {
  return {
    id: m.mirrorId,
    name: m.mirrorName,
    url: m.url,
    suite: m.suite,
    status: m.state,
    verified: isAuthenticState(m.state),
    detail: m.detail,
    code: m.code ?? null,
    releaseDate: isoTimeOrNull(m.releaseDate),
    validUntil: isoTimeOrNull(m.validUntil),
    signedBy: m.signedBy ?? null,
    lagSeconds: secondsOrNull(m.lagMs),
    dataAgeSeconds: secondsOrNull(m.dataAgeMs),
  }
}

/** An advisory channel's status. */
export function channelJson(c: ChannelStatus): ChannelJson {
  return {
    id: c.channelId,
    name: c.name,
    type: c.type,
    status: c.state,
    detail: c.detail,
    code: c.code ?? null,
    verifiedAt: isoTimeOrNull(c.verifiedAt),
    advisoryCount: c.advisoryCount,
    signedBy: c.signedBy ?? null,
  }
}

/** A guidance step. */
export function stepJson(s: GuidanceStep): StepJson {
  return { number: s.number, kind: s.kind, text: s.text, command: s.command ?? null, file: s.file ?? null }
}

/** A package to install. */
export function targetJson(t: InstallTarget): TargetJson {
  return {
    package: t.package,
    arch: t.arch,
    installed: t.installed ?? null,
    version: t.version,
    mirror: t.repository.mirrorId,
    mirrorUrl: t.repository.mirrorUrl,
    suite: t.repository.suite,
    component: t.repository.component,
    onUsedMirror: t.repository.used,
  }
}

/** One source package of an advisory. */
export function packageFindingJson(p: PackageFinding): PackageFindingJson {
  return {
    source: p.source,
    status: p.status,
    fixedVersion: p.fixedVersion ?? null,
    installed: p.installed.map((i) => ({ package: i.package, arch: i.arch, version: i.version })),
    upgrades: p.upgrades.map(targetJson),
    newInstalls: p.newInstalls.map(targetJson),
    missing: p.missing,
    needsReboot: p.needsReboot,
  }
}

/** One fact of the evidence as a record (times as ISO strings, absent values as null). */
export function evidenceJson(e: Evidence): Readonly<Record<string, unknown>> {
  if (e.kind === 'verified-mirror') return { ...e, verifiedAt: isoTimeOrNull(e.verifiedAt) }
  if (e.kind === 'running-kernel') return { ...e, version: e.version ?? null }
  return { ...e }
}

/** How the evidence and the steps of an advisory are written: the report's records, or the app's sentences. */
export interface AdvisoryWriting<E> {
  readonly evidence: (a: AdvisoryAssessment) => readonly E[]
  readonly step: (s: GuidanceStep) => StepJson
}

/** The report's way: evidence as records, steps as they are. */
export const REPORT_WRITING: AdvisoryWriting<Readonly<Record<string, unknown>>> = {
  evidence: (a) => a.packages.flatMap((p) => p.evidence.map(evidenceJson)),
  step: stepJson,
}

/** One assessed advisory. */
export function advisoryJson<E>(a: AdvisoryAssessment, writing: AdvisoryWriting<E>): AdvisoryJson<E> {
  return {
    id: a.id,
    title: a.title,
    cves: a.cves,
    priority: a.priority ?? null,
    status: a.status,
    trust: a.trust,
    packages: a.packages.map(packageFindingJson),
    evidence: writing.evidence(a),
    mitigations: a.mitigations,
    steps: a.steps.map(writing.step),
    disagreements: a.disagreements,
  }
}

/** One archive security update. */
export function securityUpdateJson(u: SecurityUpdate): SecurityUpdateJson {
  return {
    source: u.source,
    installedVersion: u.installedSourceVersion,
    newVersion: u.newSourceVersion,
    cves: u.cves,
    advisories: u.advisoryIds,
    onUsedMirror: u.onUsedMirror,
    upgrades: u.upgrades.map(targetJson),
  }
}

/** The release of an assessment. */
export function releaseJson(a: Assessment): ReleaseJson {
  return { id: a.release.id, codename: a.release.codename ?? null, versionId: a.release.versionId ?? null }
}

/** The kernel picture of an assessment. */
export function kernelJson(a: Assessment): KernelJson {
  return {
    running: a.kernel.running ?? null,
    runningVersion: a.kernel.runningVersion ?? null,
    newestInstalled: a.kernel.newestInstalled ?? null,
    newerInstalled: a.kernel.newerInstalled,
    rebootRequired: a.rebootRequired,
    livepatchCves: a.kernel.livepatchCves,
  }
}

/** The coverage record; ages are measured from `now`, the check's reference time. */
export function coverageJson(c: CheckCoverage, now: number): CoverageJson {
  const d = c.securityPocket.newestDate
  return {
    release: {
      id: c.release.id ?? null,
      codename: c.release.codename ?? null,
      name: c.release.name ?? null,
      served: c.release.served,
    },
    securityPocket: {
      suite: c.securityPocket.suite ?? null,
      state: c.securityPocket.state,
      currentOn: c.securityPocket.currentOn,
      oldOn: c.securityPocket.oldOn,
      newestReleaseDate: isoTimeOrNull(d),
      releaseAgeSeconds: d === undefined ? null : secondsOrNull(Math.max(0, now - d)),
    },
    mirrors: c.mirrors.map((m) => ({
      id: m.mirrorId,
      name: m.name,
      url: m.url,
      usedByThisMachine: m.usedByThisMachine,
      verified: m.verified,
    })),
    unverifiedSources: c.unverifiedSources,
    advisorySources: {
      read: c.advisorySources.read,
      total: c.advisorySources.total,
      newestReadAt: isoTimeOrNull(c.advisorySources.newestReadAt),
    },
    packagesOutsideVerifiedArchive: c.packagesOutsideVerifiedArchive ?? null,
    evidenceGaps: c.evidenceGaps,
  }
}

/** A mitigation check. */
export function mitigationJson(m: MitigationCheck): MitigationJson {
  return { advisory: m.advisoryId, trust: m.trust, text: m.text, checker: m.checker, asStep: m.asStep }
}
