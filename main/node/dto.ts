/**
 * The app's DTOs (preload/contract/dto.ts): the `lifeline.check/1` views of main/core/check/report-json.ts, plus what
 * only the window needs (durations in words, the evidence chain in sentences, privacy notes, the red case, the
 * app's re-check step). One vocabulary: a field the report has is named and computed as the report does.
 */
import { channelPrivacyNote } from '../core/advisories/privacy'
import type { AdvisoryAssessment, Assessment, Evidence, GuidanceStep } from '../core/assess/types'
import { alarmOf } from '../core/check/alarm'
import { affectsThisComputer, isChannelRead } from '../core/check/predicates'
import {
  advisoryJson,
  channelJson,
  coverageJson,
  kernelJson,
  mirrorJson,
  mitigationJson,
  releaseJson,
  securityUpdateJson,
  stepJson,
} from '../core/check/report-json'
import type { ChannelStatus } from '../core/engine/channels'
import type { InspectReport } from '../core/inspect/types'
import type { CheckReport } from '../core/check/report'
import type { MirrorSuiteStatus } from '../core/model'
import type { StatusSnapshot } from '../core/status/status-service'
import { describeAge, isoTime, isoTimeOrNull } from '../core/time-format'
import type {
  AdvisoryDto,
  AssessmentDto,
  ChannelStatusDto,
  EvidenceDto,
  InspectResultDto,
  MirrorStatusDto,
  ReportDto,
  StatusSnapshotDto,
  StepDto,
} from '../../preload/contract/dto'
import { TRUST_WORDS } from '../../preload/contract/words'

/** What the mapping may know beyond the report: the pinned keys' names, for evidence in words. */
export interface DtoContext {
  /** The pinned key's human name for a fingerprint, when known. */
  readonly keyName?: ((fingerprint: string) => string | undefined) | undefined
}

const wordsOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : describeAge(ms))

/** Maps one mirror status: the report's mirror, with its check time and durations in words. */
export function mirrorToDto(m: MirrorSuiteStatus): MirrorStatusDto {
  return {
    ...mirrorJson(m),
    checkedAt: isoTime(m.checkedAt),
    lagWords: wordsOrNull(m.lagMs),
    dataAgeWords: wordsOrNull(m.dataAgeMs),
  }
}

/** Maps one advisory channel status: the report's channel, with whether it answered and its privacy note. */
export function channelToDto(c: ChannelStatus): ChannelStatusDto {
  return {
    ...channelJson(c),
    issueCount: c.issueCount,
    read: isChannelRead(c.state),
    privacyNote: channelPrivacyNote(c.type),
  }
}

function stepToDto(s: GuidanceStep): StepDto {
  // In the app the re-check is the "Check now" button, not a `lifeline` command that may not be on PATH.
  if (s.kind === 'recheck')
    return { number: s.number, kind: s.kind, text: APP_RECHECK, command: null, file: null }
  return stepJson(s)
}

/** The app's re-check step. */
export const APP_RECHECK = 'Press "Check now" to confirm that the fix is installed.'

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
          m?.releaseDate ? `Release dated ${isoTime(m.releaseDate)}` : null,
          m?.signedBy ? `Release signed by ${m.signedBy}` : null,
        ]
          .filter((x): x is string => x !== null)
          .join(' · '),
        at: isoTimeOrNull(e.verifiedAt ?? m?.checkedAt),
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

/** The evidence chain of one advisory in plain words: its trust first, then each package's facts once. */
function evidenceChain(
  a: AdvisoryAssessment,
  mirrors: readonly MirrorSuiteStatus[],
  ctx: DtoContext,
): EvidenceDto[] {
  const evidence: EvidenceDto[] = [
    { kind: 'trust', text: TRUST_WORDS[a.trust].evidence, detail: a.trust, at: null },
  ]
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
  return evidence
}

/** Maps one assessed advisory: the report's advisory, with its evidence chain in plain words. */
export function advisoryToDto(
  a: AdvisoryAssessment,
  mirrors: readonly MirrorSuiteStatus[],
  ctx: DtoContext = {},
): AdvisoryDto {
  const writing = { evidence: () => evidenceChain(a, mirrors, ctx), step: stepToDto }
  return { ...advisoryJson(a, writing), affecting: affectsThisComputer(a.status) }
}

/** Maps the assessment. */
export function assessmentToDto(
  a: Assessment,
  mirrors: readonly MirrorSuiteStatus[],
  ctx: DtoContext = {},
): AssessmentDto {
  return {
    generatedAt: isoTime(a.generatedAt),
    release: releaseJson(a),
    advisories: a.advisories.map((x) => advisoryToDto(x, mirrors, ctx)),
    securityUpdates: a.securityUpdates.map(securityUpdateJson),
    kernel: kernelJson(a),
    counts: { ...a.counts },
    steps: a.steps.map(stepToDto),
  }
}

/** Maps a check report to its JSON-safe view. */
export function reportToDto(r: CheckReport, ctx: DtoContext = {}): ReportDto {
  return {
    startedAt: isoTime(r.startedAt),
    finishedAt: isoTime(r.finishedAt),
    verdict: r.verdict,
    summary: r.summary,
    verdictRow: r.verdictRow ?? null,
    exitCode: r.exitCode ?? null,
    alarm: alarmOf(r),
    coverage: r.coverage ? coverageJson(r.coverage, r.startedAt) : null,
    mitigations: (r.mitigations ?? []).map(mitigationJson),
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
        startedAt: isoTime(state.startedAt),
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
