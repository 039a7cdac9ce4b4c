import type { CheckReport, MirrorSuiteStatus } from '../core/model'
import type { StatusSnapshot } from '../core/status/status-service'
import type { MirrorStatusDto, ReportDto, StatusSnapshotDto } from '../../preload/contract/dto'

const iso = (ms: number): string => new Date(ms).toISOString()

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
    releaseDate: m.releaseDate === undefined ? null : iso(m.releaseDate),
    signedBy: m.signedBy ?? null,
  }
}

/** Maps a check report to its JSON-safe view. */
export function reportToDto(r: CheckReport): ReportDto {
  return {
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    verdict: r.verdict,
    summary: r.summary,
    anyVerified: r.anyVerified,
    mirrors: r.mirrors.map(mirrorToDto),
  }
}

/** Maps the state machine's snapshot to what the renderer mirrors. */
export function snapshotToDto(s: StatusSnapshot): StatusSnapshotDto {
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
        previous: state.previous ? reportToDto(state.previous) : null,
      }
    case 'ready':
      return { revision, kind: 'ready', report: reportToDto(state.report) }
    case 'no-source':
      return {
        revision,
        kind: 'no-source',
        report: reportToDto(state.report),
        lastGood: state.lastGood ? reportToDto(state.lastGood) : null,
      }
  }
}
