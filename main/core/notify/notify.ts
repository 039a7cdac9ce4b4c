/**
 * Which desktop notifications to raise after a check (docs/ui.md, "Notifications"). Pure: the Electron glue only shows
 * what this decides, and the seen-state is persisted through the `StateStore` port by the backend.
 *
 * Rules:
 * - one notification per newly affecting *verified* advisory, keyed by advisory id and its status for this machine;
 *   the same advisory in the same status never notifies twice, and nothing notifies when nothing changed;
 * - several new items from one check are batched into a single notification;
 * - a source conflict or a frozen / rolled-back / tampered mirror notifies even without an affected package,
 *   because it may mean an attack (docs/trust.md, points 3 and 4);
 * - while paused nothing is sent and nothing is marked seen, so what is still new when the pause ends is told then;
 * - `notificationLevel` (policy or user): `none` never notifies, `alarm` only for alarm-level items.
 */
import type { AdvisoryAssessment, AssessmentStatus } from '../assess/types'
import { isKeyBacked, SUSPICIOUS_MIRROR_STATES } from '../check/predicates'
import type { CheckReport } from '../check/report'
import type { NotificationLevel } from '../model'

/** What is kept between checks (StateStore name `NOTIFY_STATE_NAME`). */
export interface NotifyState {
  readonly version: 1
  /** Item key (`adv:<id>`, `conflict:<id>`, `mirror:<id>/<suite>`) → the state already told. */
  readonly seen: Readonly<Record<string, string>>
  /** Epoch ms until which notifications are paused; null when not paused. */
  readonly pausedUntil: number | null
}

/** The StateStore name of `NotifyState`. */
export const NOTIFY_STATE_NAME = 'notifications'

/** A notification to show. */
export interface PlannedNotification {
  readonly title: string
  readonly body: string
  /** `critical` for what may be an attack or an exposure with no fix; `normal` otherwise. */
  readonly urgency: 'normal' | 'critical'
  /** The advisory a click opens; undefined opens the app's overview (batches, mirror alarms). */
  readonly advisoryId?: string | undefined
  /** The item keys this notification tells (for tests and logs). */
  readonly keys: readonly string[]
}

/** The decision for one check. */
export interface NotifyDecision {
  readonly notifications: readonly PlannedNotification[]
  readonly state: NotifyState
}

/** One thing that may deserve a notification. */
interface Item {
  readonly key: string
  readonly signature: string
  readonly alarm: boolean
  readonly title: string
  readonly body: string
  readonly advisoryId?: string | undefined
}

/** The empty state: nothing seen, not paused. */
export function emptyNotifyState(): NotifyState {
  return { version: 1, seen: {}, pausedUntil: null }
}

/** Checks the shape of a state read from disk; anything else starts afresh. */
export function asNotifyState(v: unknown): NotifyState | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const s = v as Partial<NotifyState>
  if (s.version !== 1 || typeof s.seen !== 'object' || s.seen === null) return undefined
  if (s.pausedUntil !== null && typeof s.pausedUntil !== 'number') return undefined
  return { version: 1, seen: s.seen, pausedUntil: s.pausedUntil ?? null }
}

/** Statuses in which an advisory affects this machine and something must be done. */
export const AFFECTING: ReadonlySet<AssessmentStatus> = new Set([
  'fix-available',
  'fix-on-other-mirror',
  'no-fix-yet',
  'fixed-pending-reboot',
])

/**
 * Whether an affecting advisory is verified enough to interrupt the user: key-backed (signed or archive-confirmed,
 * docs/trust.md "The verdict": the same rule as the verdict's), or a fix whose version verified on a mirror through
 * the signed Release chain. An unconfirmed claim with no verified fix is shown in the app, never pushed.
 */
export function isVerifiedAdvisory(a: AdvisoryAssessment): boolean {
  if (isKeyBacked(a.trust)) return true
  if (a.trust === 'conflict') return false
  return (
    a.status === 'fix-available' || a.status === 'fix-on-other-mirror' || a.status === 'fixed-pending-reboot'
  )
}

const URGENCY_WORD: Readonly<Record<string, string>> = {
  critical: 'Critical',
  high: 'High priority',
  medium: 'Medium priority',
  low: 'Low priority',
  negligible: 'Low priority',
}

function advisoryItem(a: AdvisoryAssessment): Item {
  const urgency = (a.priority && URGENCY_WORD[a.priority]) ?? 'Security'
  const name = a.title || a.id
  const item = (alarm: boolean, title: string, body: string): Item => ({
    key: `adv:${a.id}`,
    signature: a.status,
    alarm,
    title,
    body,
    advisoryId: a.id,
  })
  switch (a.status) {
    case 'no-fix-yet':
      return item(
        true,
        `${urgency}: ${name} affects this computer`,
        a.mitigations[0] ?? 'No verified fix yet. Open Lifeline for what to do meanwhile.',
      )
    case 'fixed-pending-reboot':
      return item(
        false,
        `Restart to finish: ${name}`,
        'The fix is installed. Restart the computer to use it.',
      )
    case 'fix-on-other-mirror':
      return item(
        false,
        `${urgency} security fix: ${name}`,
        'A verified fix is on another mirror. Open Lifeline for the steps.',
      )
    default:
      return item(
        false,
        `${urgency} security fix: ${name}`,
        'Install the verified update. Open Lifeline for the exact command.',
      )
  }
}

/** Everything in a report that may deserve a notification, keyed. */
function itemsOf(report: CheckReport): Item[] {
  const items: Item[] = []
  for (const m of report.mirrors) {
    if (!SUSPICIOUS_MIRROR_STATES.has(m.state)) continue
    items.push({
      key: `mirror:${m.mirrorId}/${m.suite}`,
      signature: m.state,
      alarm: true,
      title: `Possible attack: ${m.mirrorName} failed verification`,
      body: `${m.detail} Do not install from it until this clears.`,
    })
  }
  for (const a of report.assessment?.advisories ?? []) {
    if (a.trust === 'conflict') {
      items.push({
        key: `conflict:${a.id}`,
        signature: 'conflict',
        alarm: true,
        title: `Sources disagree about ${a.id}`,
        body: 'Advisory sources give different fixed versions: one may be fake. Open Lifeline before acting.',
        advisoryId: a.id,
      })
    }
    if (AFFECTING.has(a.status) && isVerifiedAdvisory(a)) items.push(advisoryItem(a))
  }
  return items
}

/** Merges several new items into one notification (never a burst of popups). */
function batch(items: readonly Item[]): PlannedNotification {
  const alarm = items.some((i) => i.alarm)
  const advisories = items.filter((i) => i.key.startsWith('adv:')).length
  const others = items.length - advisories
  const parts: string[] = []
  if (advisories > 0) parts.push(`${advisories} security ${advisories === 1 ? 'advisory' : 'advisories'}`)
  if (others > 0) parts.push(`${others} source ${others === 1 ? 'warning' : 'warnings'}`)
  return {
    title: `${alarm ? 'Action needed' : 'Security updates'}: ${parts.join(' and ')}`,
    body: items
      .slice(0, 3)
      .map((i) => i.title)
      .join('; ')
      .concat(items.length > 3 ? `; and ${items.length - 3} more. Open Lifeline.` : '. Open Lifeline.'),
    urgency: alarm ? 'critical' : 'normal',
    keys: items.map((i) => i.key),
  }
}

/**
 * Decides the notifications for a finished check and the new seen-state.
 *
 * A report in which nothing verified (`anyVerified` false) says nothing new about advisories, so it changes
 * nothing: the last verified state keeps standing, and its items are not told again.
 */
export function decideNotifications(input: {
  readonly report: CheckReport
  readonly state: NotifyState
  readonly now: number
  readonly level: NotificationLevel
}): NotifyDecision {
  const { report, state, now, level } = input
  if (!report.anyVerified) return { notifications: [], state }
  const items = itemsOf(report)
  const current = new Map(items.map((i) => [i.key, i]))
  const fresh = items.filter((i) => state.seen[i.key] !== i.signature)
  const paused = state.pausedUntil !== null && now < state.pausedUntil
  const wanted = level === 'none' ? [] : fresh.filter((i) => level === 'attention' || i.alarm)

  // Forget items that cleared (so a relapse is told again); keep what is current and already told.
  const seen: Record<string, string> = {}
  for (const [key, sig] of Object.entries(state.seen)) {
    if (current.get(key)?.signature === sig) seen[key] = sig
  }
  if (!paused) for (const i of fresh) seen[i.key] = i.signature

  const pausedUntil = paused ? state.pausedUntil : null
  const next: NotifyState = { version: 1, seen, pausedUntil }
  if (paused || wanted.length === 0) return { notifications: [], state: next }
  const only = wanted.length === 1 ? wanted[0] : undefined
  const notification: PlannedNotification = only
    ? {
        title: only.title,
        body: only.body,
        urgency: only.alarm ? 'critical' : 'normal',
        advisoryId: only.advisoryId,
        keys: [only.key],
      }
    : batch(wanted)
  return { notifications: [notification], state: next }
}

/** How long to pause: one hour, until tomorrow morning, or not at all. */
export type PauseChoice = '1h' | 'tomorrow' | 'off'

/** Local hour at which a pause "until tomorrow" ends. */
export const TOMORROW_HOUR = 8

/**
 * The end of a pause, epoch ms, or null for `off`. "Tomorrow" is the next calendar day at 08:00 local time (the
 * runtime's time zone: the user's desktop).
 */
export function pauseUntil(choice: PauseChoice, now: number): number | null {
  switch (choice) {
    case 'off':
      return null
    case '1h':
      return now + 3600_000
    case 'tomorrow': {
      const d = new Date(now)
      d.setDate(d.getDate() + 1)
      d.setHours(TOMORROW_HOUR, 0, 0, 0)
      return d.getTime()
    }
  }
}

/** Sets or clears the pause in a state. */
export function withPause(state: NotifyState, choice: PauseChoice, now: number): NotifyState {
  return { ...state, pausedUntil: pauseUntil(choice, now) }
}

/** Whether notifications are paused at `now`. */
export function isPaused(state: NotifyState, now: number): boolean {
  return state.pausedUntil !== null && now < state.pausedUntil
}
