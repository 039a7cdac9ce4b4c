import type {
  AdvisoryDto,
  AlarmCaseDto,
  ChannelStatusDto,
  InspectFindingDto,
  MirrorStatusDto,
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
  /** For a red verdict: what to do, in one sentence that names the case (exposed, attacked or both). */
  readonly advice: string | null
}

const HEADLINES: Readonly<Record<VerdictDto, string>> = {
  safe: 'You are up to date. Nothing needs doing right now.',
  attention: 'A verified security fix is waiting for this computer.',
  // Red is always told apart by its case (ALARM_HEADLINES); this is the fallback's wording.
  alarm: 'Action needed: Lifeline found a problem that needs you.',
  unknown: 'No source reachable: nothing could be verified.',
}

/** The red banner's headline, by the case main decided (main/core/check/alarm.ts). */
const ALARM_HEADLINES: Readonly<Record<AlarmCaseDto, string>> = {
  exposed: 'Action needed: this computer is exposed and no verified fix exists yet.',
  attack: 'Warning: a source sent data that failed verification. It may be under attack.',
  both: 'Action needed: this computer is exposed, and a source may be under attack.',
  other: 'Action needed: Lifeline found a problem that needs you.',
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
      advice: null,
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
      advice: null,
    }
  }
  const report = s.report
  return {
    tone: report.verdict,
    headline: report.alarm ? ALARM_HEADLINES[report.alarm.case] : headlineOf(report),
    detail: report.summary,
    checking: false,
    progress: null,
    report,
    lastGood: s.kind === 'no-source' ? s.lastGood : null,
    advice: report.alarm?.advice ?? null,
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
  'not-read': 'Not read in this check',
}

/** A channel's state in words, without promising a "last good copy" that was never read. */
export function channelStateWords(c: ChannelStatusDto): string {
  if (c.verifiedAt === null && c.status === 'failed') return 'Not reachable, and never read'
  if (c.verifiedAt === null && c.status === 'not-read') return 'Not read yet'
  return ChannelStateWords[c.status] ?? c.status
}

/** Channel types whose documents are checked against a pinned key. */
const SIGNED_CHANNEL_TYPES: ReadonlySet<string> = new Set(['signed-feed', 'mbox'])

/** "Ubuntu OSV (unsigned)": a source's name and whether it is signed, for its id; the id itself when unknown. */
export function channelLabel(id: string, channels: readonly ChannelStatusDto[]): string {
  const c = channels.find((x) => x.id === id)
  if (!c) return id
  const signed = c.signedBy !== null || SIGNED_CHANNEL_TYPES.has(c.type)
  return `${c.name} (${signed ? 'signed' : 'unsigned'})`
}

/** One mirror with its suites beneath (the report lists mirror × suite). */
export interface MirrorGroup {
  readonly mirrorId: string
  readonly mirrorName: string
  readonly suites: readonly MirrorStatusDto[]
}

/** Groups mirror × suite rows by mirror, keeping the report's order. */
export function groupMirrors(rows: readonly MirrorStatusDto[]): readonly MirrorGroup[] {
  const by = new Map<string, MirrorStatusDto[]>()
  for (const r of rows) {
    const list = by.get(r.id)
    if (list) list.push(r)
    else by.set(r.id, [r])
  }
  return [...by.entries()].map(([mirrorId, suites]) => ({
    mirrorId,
    mirrorName: suites[0]?.name ?? mirrorId,
    suites,
  }))
}

/** Whether the site of an external link answered at the last check, judged from the sources Lifeline reads there. */
export type SiteReachability = 'reachable' | 'unreachable' | 'not-read'

/**
 * Was `host` reachable at the last check? Only the advisory sources Lifeline reads on that host can tell; when it
 * reads none there, Lifeline says it does not know.
 */
export function siteReachability(
  host: string,
  sources: readonly { readonly id: string; readonly urls: readonly string[] }[],
  channels: readonly ChannelStatusDto[],
): SiteReachability {
  const hostOf = (u: string): string | null => {
    try {
      return new URL(u).host.toLowerCase()
    } catch {
      return null
    }
  }
  const ids = new Set(
    sources.filter((s) => s.urls.some((u) => hostOf(u) === host.toLowerCase())).map((s) => s.id),
  )
  const read = channels.filter((c) => ids.has(c.id)).map((c) => c.read)
  if (read.length === 0) return 'not-read'
  return read.some((answered) => answered) ? 'reachable' : 'unreachable'
}

/** The sentence beside an external link about its site. */
export function siteReachabilityWords(host: string, r: SiteReachability): string {
  switch (r) {
    case 'reachable':
      return `${host} answered at the last check.`
    case 'unreachable':
      return `${host} could not be reached at the last check, so the page may not load. Nothing above depends on it.`
    case 'not-read':
      return `Lifeline does not read ${host}, so it cannot say whether the site is up.`
  }
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
      (f.show === 'all' || a.affecting || a.trust === 'conflict') &&
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

/** How fresh and how verified the data is, in one sentence; mirrors are counted as mirrors, not mirror × suite. */
export function freshnessLine(report: ReportDto | null): string {
  if (!report) return 'No check has finished yet.'
  // A stale mirror was reached and verified: main counts it as verified, and it is named as old (the same count as
  // `lifeline check`, docs/trust.md "Freshness").
  const ok = (m: MirrorStatusDto): boolean => m.verified
  const groups = groupMirrors(report.mirrors)
  const verified = groups.filter((g) => g.suites.every(ok)).length
  const partly = groups.filter((g) => g.suites.some(ok) && !g.suites.every(ok)).length
  const old = groups.filter((g) => g.suites.some((m) => m.status === 'stale')).length
  const channels = report.channels.filter((c) => c.read).length
  const parts = [
    `${verified} of ${groups.length} mirror${groups.length === 1 ? '' : 's'} verified${partly > 0 ? ` (${partly} partly)` : ''}${old > 0 ? ` (${old} old)` : ''}`,
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
