import type {
  AdvisoryDto,
  AdvisoryStatusDto,
  InspectFindingDto,
  InspectVerdictDto,
  ReportDto,
  StatusSnapshotDto,
  StepDto,
  TrustDto,
  VerdictDto,
} from '../../../preload/contract/dto'

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
  safe: 'You are up to date. Nothing needs doing right now.',
  attention: 'A verified security fix is waiting for this computer.',
  alarm: 'Action needed: this computer is exposed or a source may be under attack.',
  unknown: 'No source reachable: nothing could be verified.',
}

/**
 * The headline of an `unknown` verdict that is not "nothing verified": something was verified, but not enough to
 * say "safe" (release not served, security data old or missing, sources disagree). The detail gives the reason,
 * the same sentence `lifeline check` prints.
 */
const UNKNOWN_BUT_VERIFIED = 'Lifeline cannot tell whether this computer is up to date.'

/** The banner's headline for a report: by verdict, and for `unknown` by the verdict row that decided it. */
export function headlineOf(report: ReportDto): string {
  if (report.verdict === 'unknown' && report.verdictRow !== null && report.verdictRow !== 'nothing-verified')
    return UNKNOWN_BUT_VERIFIED
  return HEADLINES[report.verdict]
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
    headline: headlineOf(report),
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
  stale: 'Verified, but old: its fixes are offered, newer ones cannot be seen',
  frozen: 'Expired signature date: the mirror may be frozen by an attacker',
  'rolled-back': 'Older than one already seen: possible replay attack',
  'bad-signature': 'Signature check failed: do not use this mirror',
  'wrong-suite': 'Serves a different release than asked for',
  'hash-mismatch': 'A file did not match its signed checksum',
  unreachable: 'Could not be reached',
  'too-slow': 'Too slow to answer',
  'too-large': 'Sent more data than allowed',
}

/** Plain words for each channel state. */
export const ChannelStateWords: Readonly<Record<string, string>> = {
  ok: 'Read now',
  partial: 'Read now, some records skipped',
  failed: 'Not reachable: last good copy kept',
  'not-read': 'Not read (offline)',
}

/** What each failure means for the user (Sources screen, "what this failure means"). */
export const MirrorStateMeaning: Readonly<Record<string, string>> = {
  ok: 'Its package lists match the signed Release file. Updates from it can be trusted.',
  lagging: 'It is signed and valid but has not caught up yet; a fix may reach it later than other mirrors.',
  stale:
    'Its signed data is older than Lifeline accepts as current: the fixes it lists are still offered, with their age, but fixes published since cannot be seen, so Lifeline does not say "safe" from it alone.',
  frozen:
    'Its signature has expired. An attacker can "freeze" a mirror to hide new fixes; use another mirror until it recovers.',
  'rolled-back':
    'It served data older than data it served before. That is how replay attacks hide fixes; do not update from it.',
  'bad-signature':
    'Its Release file is not signed by a pinned Ubuntu key. Its data may be forged: do not use it.',
  'wrong-suite': 'It answered with a different Ubuntu release than asked for, which can downgrade packages.',
  'hash-mismatch':
    'A package list did not match the checksum in the signed Release file: it was altered or broken.',
  unreachable:
    'It could not be reached (network or server down). Lifeline keeps using the last verified data.',
  'too-slow': 'It answered too slowly and was skipped this time.',
  'too-large': 'It sent more data than any real mirror would, and was stopped.',
}

/** The trust badges: label, colour tone and the one-sentence explanation shown on hover/expand. */
export const TrustWords: Readonly<
  Record<
    TrustDto,
    {
      readonly label: string
      readonly tone: 'safe' | 'attention' | 'alarm' | 'unknown'
      readonly explain: string
    }
  >
> = {
  signed: {
    label: 'Signed',
    tone: 'safe',
    explain: 'Signed by a key Lifeline pins for advisories: the text is exactly what the publisher wrote.',
  },
  'archive-confirmed': {
    label: 'Archive-confirmed',
    tone: 'safe',
    explain: "The signed Ubuntu archive confirms it: the fixed package's changelog names these CVEs.",
  },
  corroborated: {
    label: 'Corroborated',
    tone: 'attention',
    explain: 'Two independent advisory sources agree. Neither is signed.',
  },
  'single-source': {
    label: 'Single source',
    tone: 'unknown',
    explain: 'Only one unsigned source says this. Treat with care.',
  },
  conflict: {
    label: 'Conflict',
    tone: 'alarm',
    explain: 'Sources disagree about the fixed version. One of them may be fake: do not act on it alone.',
  },
}

/** What each advisory status means for this machine. */
export const StatusWords: Readonly<
  Record<
    AdvisoryStatusDto,
    {
      readonly label: string
      readonly tone: 'safe' | 'attention' | 'alarm' | 'unknown'
      readonly explain: string
    }
  >
> = {
  'fix-available': {
    label: 'Fix ready',
    tone: 'attention',
    explain: 'This computer is affected, and the fixed version is verified on a mirror it already uses.',
  },
  'fix-on-other-mirror': {
    label: 'Fix on another mirror',
    tone: 'attention',
    explain:
      'Affected; the fix is verified only on a mirror this computer does not use yet. The steps show how.',
  },
  'no-fix-yet': {
    label: 'No fix yet',
    tone: 'alarm',
    explain: 'Affected, and no verified mirror has the fixed version yet. Follow the mitigation.',
  },
  'fixed-pending-reboot': {
    label: 'Restart needed',
    tone: 'attention',
    explain: 'The fix is installed but only takes effect after a restart.',
  },
  fixed: {
    label: 'Fixed',
    tone: 'safe',
    explain: 'Every affected package here is at or above the fixed version.',
  },
  'not-affected': {
    label: 'Not affected',
    tone: 'safe',
    explain: 'No affected package is installed on this computer.',
  },
}

/** Statuses that mean something must be done here. */
export const AFFECTING_STATUSES: ReadonlySet<AdvisoryStatusDto> = new Set([
  'fix-available',
  'fix-on-other-mirror',
  'no-fix-yet',
  'fixed-pending-reboot',
])

/** The Advisories screen's filters. */
export interface AdvisoryFilter {
  readonly show: 'affecting' | 'all'
  readonly trust: TrustDto | 'any'
  readonly query: string
}

/** The default filter: only what affects this computer. */
export const DEFAULT_FILTER: AdvisoryFilter = { show: 'affecting', trust: 'any', query: '' }

/** Applies the filters; the assessment's order (priority, trust, status) is kept. */
export function filterAdvisories(list: readonly AdvisoryDto[], f: AdvisoryFilter): readonly AdvisoryDto[] {
  const q = f.query.trim().toLowerCase()
  return list.filter(
    (a) =>
      (f.show === 'all' || AFFECTING_STATUSES.has(a.status) || a.trust === 'conflict') &&
      (f.trust === 'any' || a.trust === f.trust) &&
      (q === '' ||
        a.id.toLowerCase().includes(q) ||
        a.title.toLowerCase().includes(q) ||
        a.cves.some((c) => c.toLowerCase().includes(q)) ||
        a.packages.some((p) => p.source.toLowerCase().includes(q))),
  )
}

/** The report the screens show: the current one, or the previous one while a check runs. */
export function shownReport(s: StatusSnapshotDto | null): ReportDto | null {
  if (s === null || s.kind === 'starting') return null
  if (s.kind === 'checking') return s.previous
  if (s.kind === 'no-source') return s.report.assessment ? s.report : (s.lastGood ?? s.report)
  return s.report
}

/** The overview's "what do I do now": the assessment's combined steps, only when something needs doing. */
export function nextSteps(report: ReportDto | null): readonly StepDto[] {
  if (!report?.assessment || report.verdict === 'safe' || report.verdict === 'unknown') return []
  return report.assessment.steps
}

/** How fresh and how verified the data is, in one sentence. */
export function freshnessLine(report: ReportDto | null): string {
  if (!report) return 'No check has finished yet.'
  // A stale mirror was reached and verified: it counts as verified, and is named as old (the same count as
  // `lifeline check`, docs/trust.md "Freshness").
  const verified = report.mirrors.filter(
    (m) => m.state === 'ok' || m.state === 'lagging' || m.state === 'stale',
  ).length
  const old = report.mirrors.filter((m) => m.state === 'stale').length
  const channels = report.channels.filter((c) => c.state === 'ok' || c.state === 'partial').length
  const parts = [
    `${verified} of ${report.mirrors.length} mirror${report.mirrors.length === 1 ? '' : 's'} verified${old > 0 ? ` (${old} old)` : ''}`,
    `${channels} of ${report.channels.length} advisory source${report.channels.length === 1 ? '' : 's'} read`,
  ]
  return `${parts.join(', ')}${report.offline ? ' (offline: saved data)' : ''}.`
}

/** A piece of a line of checked text, with the most severe finding covering it. */
export interface HighlightSegment {
  readonly text: string
  readonly finding: InspectFindingDto | null
}

const SEVERITY_RANK: Readonly<Record<InspectFindingDto['severity'], number>> = { high: 3, medium: 2, low: 1 }

/** Splits one line (1-based `line`) into plain and highlighted segments; overlapping spans show the worst. */
export function highlightLine(
  text: string,
  line: number,
  findings: readonly InspectFindingDto[],
): HighlightSegment[] {
  const here = findings.filter((f) => f.line === line && f.end > f.start)
  if (here.length === 0) return [{ text, finding: null }]
  const cuts = new Set<number>([0, text.length])
  for (const f of here) {
    cuts.add(Math.max(0, Math.min(text.length, f.start)))
    cuts.add(Math.max(0, Math.min(text.length, f.end)))
  }
  const points = [...cuts].sort((a, b) => a - b)
  const out: HighlightSegment[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] ?? 0
    const b = points[i + 1] ?? 0
    if (b <= a) continue
    let best: InspectFindingDto | null = null
    for (const f of here) {
      if (f.start <= a && f.end >= b && (!best || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best.severity]))
        best = f
    }
    const prev = out[out.length - 1]
    if (prev && prev.finding === best)
      out[out.length - 1] = { text: prev.text + text.slice(a, b), finding: best }
    else out.push({ text: text.slice(a, b), finding: best })
  }
  return out
}

/** The checker's verdict in words for the banner. */
export const InspectVerdictWords: Readonly<
  Record<InspectVerdictDto, { readonly headline: string; readonly tone: 'safe' | 'attention' | 'alarm' }>
> = {
  verified: { headline: 'Verified: these instructions match what Lifeline can prove.', tone: 'safe' },
  caution: { headline: 'Caution: nothing dangerous found, but nothing here is verified.', tone: 'attention' },
  dangerous: { headline: 'Dangerous: do not run this.', tone: 'alarm' },
}
