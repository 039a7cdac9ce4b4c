import type { ReportDto, StatusSnapshotDto, VerdictDto } from '../../../preload/contract/dto'

/** What the overview shows, derived from a snapshot. Pure, so it is unit-tested without a DOM. */
export interface OverviewModel {
  readonly tone: VerdictDto | 'checking'
  readonly headline: string
  readonly detail: string
  readonly checking: boolean
  readonly progress: { readonly done: number; readonly total: number; readonly label: string } | null
  /** The report whose data is shown (the previous one while a check runs). */
  readonly report: ReportDto | null
  /** The last report in which something verified, when the current one has nothing verified. */
  readonly lastGood: ReportDto | null
}

const HEADLINES: Readonly<Record<VerdictDto, string>> = {
  safe: 'Your sources verified. Nothing needs doing right now.',
  attention: 'A verified security fix is waiting for this computer.',
  alarm: 'Action needed: something is wrong with a source or this computer is exposed.',
  unknown: 'No source reachable: nothing could be verified.',
}

/** Builds the overview model from the mirrored snapshot. */
export function overviewModel(s: StatusSnapshotDto | null): OverviewModel {
  if (s === null || s.kind === 'starting') {
    return {
      tone: 'checking',
      headline: 'Starting…',
      detail: 'Lifeline is loading its last verified state.',
      checking: true,
      progress: null,
      report: null,
      lastGood: null,
    }
  }
  if (s.kind === 'checking') {
    return {
      tone: 'checking',
      headline: 'Checking your sources…',
      detail: s.previous ? s.previous.summary : 'This is the first check; it can take a minute.',
      checking: true,
      progress: s.progress.total > 0 ? s.progress : null,
      report: s.previous,
      lastGood: null,
    }
  }
  const report = s.report
  return {
    tone: report.verdict,
    headline: HEADLINES[report.verdict],
    detail: report.summary,
    checking: false,
    progress: null,
    report,
    lastGood: s.kind === 'no-source' ? s.lastGood : null,
  }
}

/** "3 minutes ago", "in 2 hours", "just now" — relative to `now`. */
export function relativeTime(iso: string, now: number): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return 'unknown time'
  const diff = Math.round((t - now) / 1000)
  const abs = Math.abs(diff)
  if (abs < 45) return 'just now'
  const units: readonly [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ]
  const fmt = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
  for (const [unit, secs] of units) {
    if (abs >= secs) return fmt.format(Math.round(diff / secs), unit)
  }
  return fmt.format(diff, 'second')
}

/** Plain words for each mirror state (the Sources screen's "what this failure means"). */
export const MirrorStateWords: Readonly<Record<string, string>> = {
  ok: 'Verified',
  lagging: 'Verified, but behind other mirrors',
  stale: 'Too old to trust for security updates',
  frozen: 'Expired signature date: the mirror may be frozen by an attacker',
  'rolled-back': 'Older than one already seen: possible replay attack',
  'bad-signature': 'Signature check failed: do not use this mirror',
  'wrong-suite': 'Serves a different release than asked for',
  'hash-mismatch': 'A file did not match its signed checksum',
  unreachable: 'Could not be reached',
  'too-slow': 'Too slow to answer',
  'too-large': 'Sent more data than allowed',
}
