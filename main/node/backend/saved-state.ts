/**
 * What the backend keeps in the data folder between runs: the last report, the notification state and (when no
 * layered configuration writes `settings.json`) the user's settings. Read once at start, validated on read; a
 * background save that fails is logged, never thrown, so the app keeps running on what it has.
 */
import type { CheckReport } from '../../core/check/report'
import type { NotificationLevel } from '../../core/model'
import {
  asNotifyState,
  emptyNotifyState,
  NOTIFY_STATE_NAME,
  type NotifyState,
} from '../../core/notify/notify'
import type { Logger, StateStore } from '../../core/ports'
import type { StatusSnapshot } from '../../core/status/status-service'

/** StateStore name of the last report, shown at the next start until a new check finishes. */
export const LAST_REPORT = 'last-report'
/** StateStore name of the user's settings kept by the backend when there is no layered `settings.json` to write. */
export const USER_SETTINGS = 'user-settings'

/** The user's own choices in Settings (the values a policy may lock). */
export interface UserSettings {
  readonly version: 1
  readonly pollIntervalMinutes?: number | undefined
  readonly notificationLevel?: NotificationLevel | undefined
}

/** Validates saved user settings; anything out of range is dropped (the configured value then applies). */
export function asUserSettings(v: unknown): UserSettings {
  if (typeof v !== 'object' || v === null || (v as { version?: unknown }).version !== 1) return { version: 1 }
  const s = v as Record<string, unknown>
  const poll = s.pollIntervalMinutes
  const level = s.notificationLevel
  return {
    version: 1,
    pollIntervalMinutes:
      typeof poll === 'number' && Number.isInteger(poll) && poll >= 5 && poll <= 1440 ? poll : undefined,
    notificationLevel: level === 'none' || level === 'alarm' || level === 'attention' ? level : undefined,
  }
}

/** Reads and validates one saved value; unreadable or absent is `undefined` (logged, never thrown). */
export async function readSafely<T>(
  store: StateStore,
  name: string,
  log: Logger,
  check: (v: unknown) => T | undefined,
): Promise<T | undefined> {
  try {
    const v = await store.read<unknown>(name)
    return v === undefined ? undefined : check(v)
  } catch (e) {
    log.warn(`${name} unreadable`, { e: String(e) })
    return undefined
  }
}

/** Everything the backend reads at start. */
export interface SavedState {
  readonly report: CheckReport | undefined
  readonly notifyState: NotifyState
  readonly user: UserSettings
}

/** Reads the saved state (nothing saved, or no store: a fresh start). */
export async function loadSavedState(store: StateStore | undefined, log: Logger): Promise<SavedState> {
  if (!store) return { report: undefined, notifyState: emptyNotifyState(), user: { version: 1 } }
  const report = await readSafely(store, LAST_REPORT, log, (v) => v as CheckReport)
  const notifyState = (await readSafely(store, NOTIFY_STATE_NAME, log, asNotifyState)) ?? emptyNotifyState()
  const user = (await readSafely(store, USER_SETTINGS, log, asUserSettings)) ?? { version: 1 }
  return { report, notifyState, user }
}

/** Saves without waiting; a failure is logged as "saving WHAT failed". */
export function saveInBackground(
  store: StateStore,
  name: string,
  value: unknown,
  log: Logger,
  what: string,
): void {
  store.write(name, value).catch((e: unknown) => log.error(`saving ${what} failed`, { e: String(e) }))
}

/**
 * Picks the new report out of each published status snapshot, once, and saves it.
 *
 * A "no source" report that verified nothing is not saved over an earlier good one: the next start must show the
 * last verified state with its age, not an empty report.
 */
export function createReportKeeper(
  store: StateStore | undefined,
  log: Logger,
  initial: CheckReport | undefined,
): (s: StatusSnapshot) => CheckReport | undefined {
  let handled = initial
  return (s) => {
    if (s.state.kind !== 'ready' && s.state.kind !== 'no-source') return undefined
    const report = s.state.report
    if (report === handled) return undefined
    handled = report
    if (store && !(s.state.kind === 'no-source' && !report.anyVerified && s.state.lastGood))
      saveInBackground(store, LAST_REPORT, report, log, 'report')
    return report
  }
}
