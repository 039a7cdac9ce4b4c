import { channelPrivacyNote } from '../core/advisories/privacy'
import type {
  AdvisoryAssessment,
  Assessment,
  Evidence,
  GuidanceStep,
  InstallTarget,
  PackageFinding,
} from '../core/assess/types'
import type { CheckCoverage } from '../core/check/coverage'
import type { MitigationCheck } from '../core/check/mitigations'
import type { ChannelStatus } from '../core/engine/channels'
import type { InspectReport } from '../core/inspect/types'
import type { CheckReport } from '../core/check/report'
import type { MirrorSuiteStatus } from '../core/model'
import type { StatusSnapshot } from '../core/status/status-service'
import type {
  AdvisoryDto,
  AssessmentDto,
  ChannelStatusDto,
  CoverageDto,
  EvidenceDto,
  InspectResultDto,
  InstallTargetDto,
  MirrorStatusDto,
  MitigationDto,
  PackageFindingDto,
  ReportDto,
  StatusSnapshotDto,
  StepDto,
} from '../../preload/contract/dto'

export type { CoverageDto, MitigationDto }

const iso = (ms: number): string => new Date(ms).toISOString()
const isoOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : iso(ms))

/** What the mapping may know beyond the report: the pinned keys' names, for evidence in words. */
export interface DtoContext {
  /** The pinned key's human name for a fingerprint, when known. */
  readonly keyName?: ((fingerprint: string) => string | undefined) | undefined
}

/** Maps one mirror status to its JSON-safe view. */
export function mirrorToDto(m: MirrorSuiteStatus): MirrorStatusDto {
  return {
    mirrorId: m.mirrorId,
    mirrorName: m.mirrorName,
    url: m.url,
    suite: m.suite,
    state: m.state,
    detail: m.detail,
    code: m.code ?? null,
    checkedAt: iso(m.checkedAt),
    releaseDate: isoOrNull(m.releaseDate),
    signedBy: m.signedBy ?? null,
    validUntil: isoOrNull(m.validUntil),
    lagMs: m.lagMs ?? null,
    dataAgeMs: m.dataAgeMs ?? null,
  }
}

/** Maps one advisory channel status. */
export function channelToDto(c: ChannelStatus): ChannelStatusDto {
  return {
    channelId: c.channelId,
    name: c.name,
    type: c.type,
    state: c.state,
    detail: c.detail,
    code: c.code ?? null,
    verifiedAt: isoOrNull(c.verifiedAt),
    advisoryCount: c.advisoryCount,
    issueCount: c.issueCount,
    signedBy: c.signedBy ?? null,
    privacyNote: channelPrivacyNote(c.type),
  }
}

function stepToDto(s: GuidanceStep): StepDto {
  // In the app the re-check is the "Check now" button, not a `lifeline` command that may not be on PATH.
  if (s.kind === 'recheck')
    return { number: s.number, kind: s.kind, text: APP_RECHECK, command: null, file: null }
  return { number: s.number, kind: s.kind, text: s.text, command: s.command ?? null, file: s.file ?? null }
}

/** The app's re-check step. */
export const APP_RECHECK = 'Press "Check now" to confirm that the fix is installed.'

/** The coverage record as the app and the `lifeline.check/1` report show it (one vocabulary for both). */
export function coverageToDto(c: CheckCoverage, now: number): CoverageDto {
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
      newestReleaseDate: isoOrNull(d),
      releaseAgeSeconds: d === undefined ? null : Math.round(Math.max(0, now - d) / 1000),
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
      newestReadAt: isoOrNull(c.advisorySources.newestReadAt),
    },
    packagesOutsideVerifiedArchive: c.packagesOutsideVerifiedArchive ?? null,
    evidenceGaps: c.evidenceGaps,
  }
}

/** A mitigation check as the app and the `lifeline.check/1` report show it. */
export function mitigationToDto(m: MitigationCheck): MitigationDto {
  return { advisory: m.advisoryId, trust: m.trust, text: m.text, checker: m.checker, asStep: m.asStep }
}

function targetToDto(t: InstallTarget): InstallTargetDto {
  return {
    package: t.package,
    arch: t.arch,
    installed: t.installed ?? null,
    version: t.version,
    mirrorId: t.repository.mirrorId,
    mirrorUrl: t.repository.mirrorUrl,
    suite: t.repository.suite,
    component: t.repository.component,
    used: t.repository.used,
  }
}

function findingToDto(p: PackageFinding): PackageFindingDto {
  return {
    source: p.source,
    fixedVersion: p.fixedVersion ?? null,
    status: p.status,
    installed: p.installed.map((i) => ({ package: i.package, arch: i.arch, version: i.version })),
    upgrades: p.upgrades.map(targetToDto),
    newInstalls: p.newInstalls.map(targetToDto),
    missing: p.missing,
    needsReboot: p.needsReboot,
  }
}

/** The trust level in words (docs/trust.md, "Advisories and their trust levels"). */
export const TRUST_WORDS: Readonly<Record<AdvisoryAssessment['trust'], string>> = {
  signed:
    'This advisory is signed by a key Lifeline pins for advisories, so its text is exactly what the publisher wrote.',
  'archive-confirmed':
    "The signed Ubuntu archive itself confirms the fix: the fixed package's changelog names these CVEs.",
  corroborated: 'Two independent advisory sources say the same thing (neither is signed).',
  'single-source': 'Only one unsigned advisory source says this; treat it with care.',
  conflict:
    'Advisory sources disagree about the fixed version: one of them may be fake. Do not act on it alone.',
}

/** Turns one fact into a sentence, joined with the mirror statuses for who signed the Release and when. */
function evidenceToDto(e: Evidence, mirrors: readonly MirrorSuiteStatus[], ctx: DtoContext): EvidenceDto {
  switch (e.kind) {
    case 'dpkg-status':
      return {
        kind: e.kind,
        text: `This computer has ${e.package} ${e.version} installed (read from its package database).`,
        detail: `/var/lib/dpkg/status: ${e.package}:${e.arch} ${e.version}`,
        at: null,
      }
    case 'verified-mirror': {
      const m = mirrors.find((s) => s.mirrorId === e.mirrorId && s.suite === e.suite)
      const key = m?.signedBy ? (ctx.keyName?.(m.signedBy) ?? 'a pinned archive key') : 'a pinned archive key'
      // Plain words in the sentence (the mirror's name); the address, exact date and fingerprint go to the detail.
      const where = m?.mirrorName ?? e.mirrorUrl
      return {
        kind: e.kind,
        text:
          `${e.package} ${e.version} is on the mirror ${where}, in ${e.suite}. ` +
          `Its package list matched the checksum in that mirror's signed Release file, which is signed by ${key}.`,
        detail: [
          `${e.mirrorUrl} ${e.suite}/${e.component}`,
          m?.releaseDate ? `Release dated ${new Date(m.releaseDate).toISOString()}` : null,
          m?.signedBy ? `Release signed by ${m.signedBy}` : null,
        ]
          .filter((x): x is string => x !== null)
          .join(' · '),
        at: isoOrNull(e.verifiedAt ?? m?.checkedAt),
      }
    }
    case 'running-kernel':
      return {
        kind: e.kind,
        text: `The running kernel is ${e.release}${e.version ? ` (${e.version})` : ''}.`,
        detail: `from ${e.from === 'uname' ? 'uname' : '/proc/version_signature'}`,
        at: null,
      }
    case 'newest-installed-kernel':
      return {
        kind: e.kind,
        text: `The newest installed kernel is ${e.package} ${e.version}.`,
        detail: null,
        at: null,
      }
    case 'livepatch':
      return {
        kind: e.kind,
        text: `Livepatch already covers ${e.cves.length} of these CVEs without a reboot.`,
        detail: e.cves.join(', '),
        at: null,
      }
    case 'reboot-required':
      return {
        kind: e.kind,
        text: 'The computer says it needs a restart to finish installed updates.',
        detail: e.packages.join(', '),
        at: null,
      }
    case 'bad-version':
      return {
        kind: e.kind,
        text: `A version in the data could not be read (${e.version}); it was not trusted.`,
        detail: e.version,
        at: null,
      }
  }
}

/** Maps one assessed advisory, with its evidence chain in plain words. */
export function advisoryToDto(
  a: AdvisoryAssessment,
  mirrors: readonly MirrorSuiteStatus[],
  ctx: DtoContext = {},
): AdvisoryDto {
  const evidence: EvidenceDto[] = [{ kind: 'trust', text: TRUST_WORDS[a.trust], detail: a.trust, at: null }]
  const seen = new Set<string>()
  for (const p of a.packages) {
    for (const e of p.evidence) {
      const dto = evidenceToDto(e, mirrors, ctx)
      const key = `${dto.kind}|${dto.text}`
      if (seen.has(key)) continue
      seen.add(key)
      evidence.push(dto)
    }
  }
  return {
    id: a.id,
    title: a.title,
    cves: a.cves,
    priority: a.priority ?? null,
    trust: a.trust,
    status: a.status,
    packages: a.packages.map(findingToDto),
    mitigations: a.mitigations,
    steps: a.steps.map(stepToDto),
    evidence,
    disagreements: a.disagreements,
  }
}

/** Maps the assessment. */
export function assessmentToDto(
  a: Assessment,
  mirrors: readonly MirrorSuiteStatus[],
  ctx: DtoContext = {},
): AssessmentDto {
  return {
    generatedAt: iso(a.generatedAt),
    release: {
      id: a.release.id,
      codename: a.release.codename ?? null,
      versionId: a.release.versionId ?? null,
    },
    advisories: a.advisories.map((x) => advisoryToDto(x, mirrors, ctx)),
    securityUpdates: a.securityUpdates.map((u) => ({
      source: u.source,
      installedSourceVersion: u.installedSourceVersion,
      newSourceVersion: u.newSourceVersion,
      onUsedMirror: u.onUsedMirror,
      advisoryIds: u.advisoryIds,
      cves: u.cves,
      packages: u.upgrades.map((t) => t.package),
    })),
    kernel: {
      running: a.kernel.running ?? null,
      newestInstalled: a.kernel.newestInstalled ?? null,
      newerInstalled: a.kernel.newerInstalled,
      livepatchCves: a.kernel.livepatchCves,
    },
    rebootRequired: a.rebootRequired,
    counts: { ...a.counts },
    steps: a.steps.map(stepToDto),
  }
}

/** Maps a check report to its JSON-safe view. */
export function reportToDto(r: CheckReport, ctx: DtoContext = {}): ReportDto {
  return {
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    verdict: r.verdict,
    summary: r.summary,
    verdictRow: r.verdictRow ?? null,
    exitCode: r.exitCode ?? null,
    coverage: r.coverage ? coverageToDto(r.coverage, r.startedAt) : null,
    mitigations: (r.mitigations ?? []).map(mitigationToDto),
    anyVerified: r.anyVerified,
    mirrors: r.mirrors.map(mirrorToDto),
    channels: (r.channels ?? []).map(channelToDto),
    assessment: r.assessment ? assessmentToDto(r.assessment, r.mirrors, ctx) : null,
    systemProblems: r.systemProblems ?? [],
    offline: r.offline === true,
  }
}

/** Maps the state machine's snapshot to what the renderer mirrors. */
export function snapshotToDto(s: StatusSnapshot, ctx: DtoContext = {}): StatusSnapshotDto {
  const { revision, state } = s
  switch (state.kind) {
    case 'starting':
      return { revision, kind: 'starting' }
    case 'checking':
      return {
        revision,
        kind: 'checking',
        startedAt: iso(state.startedAt),
        progress: state.progress,
        previous: state.previous ? reportToDto(state.previous, ctx) : null,
      }
    case 'ready':
      return { revision, kind: 'ready', report: reportToDto(state.report, ctx) }
    case 'no-source':
      return {
        revision,
        kind: 'no-source',
        report: reportToDto(state.report, ctx),
        lastGood: state.lastGood ? reportToDto(state.lastGood, ctx) : null,
      }
  }
}

/** Maps an instruction-checker report, with the text it checked. */
export function inspectToDto(text: string, r: InspectReport, knownFixCount: number): InspectResultDto {
  return {
    text,
    verdict: r.verdict,
    summary: r.summary,
    findings: r.findings.map((f) => ({ ...f })),
    blocks: r.blocks.map((b) => ({
      startLine: b.startLine,
      endLine: b.endLine,
      status: b.status,
      signers: b.signers,
      code: b.code ?? null,
    })),
    lineKinds: r.lineKinds,
    commandCount: r.commandCount,
    knownFixCount,
  }
}
