import type { PauseChoiceDto } from '../../../preload/contract/dto'
import type { CheckReport } from '../../core/check/report'
import type { NotificationLevel } from '../../core/model'
import {
  decideNotifications,
  NOTIFY_STATE_NAME,
  withPause,
  type NotifyState,
  type PlannedNotification,
} from '../../core/notify/notify'
import type { Clock, Logger, StateStore } from '../../core/ports'
import { saveInBackground } from './saved-state'

/** Desktop notifications: what was already told, the pause, and showing what a new report calls for. */
export interface Notifier {
  /** Decides (main/core/notify/notify.ts) and shows the notifications a new report calls for; saves what was told. */
  reportArrived(report: CheckReport): void
  /** Pauses or resumes notifications (tray menu, Settings), and saves the pause. */
  pause(choice: PauseChoiceDto): Promise<void>
  /** Epoch ms until which notifications are paused, or null. */
  pausedUntil(): number | null
}

/** What the notifier needs. */
export interface NotifierOptions {
  readonly initial: NotifyState
  readonly store: StateStore | undefined
  readonly clock: Clock
  readonly log: Logger
  /** The lowest verdict that notifies (the user's setting unless a policy locks it). */
  readonly level: () => NotificationLevel
  /** Shows one notification (Electron); absent in browser mode. */
  readonly show?: ((n: PlannedNotification) => void) | undefined
}

/** A notifier starting from the saved notification state. */
export function createNotifier(opts: NotifierOptions): Notifier {
  let state = opts.initial
  const { store, log } = opts
  return {
    reportArrived(report) {
      const decision = decideNotifications({ report, state, now: opts.clock.now(), level: opts.level() })
      const changed = decision.state !== state
      state = decision.state
      if (store && changed) saveInBackground(store, NOTIFY_STATE_NAME, state, log, 'notifications')
      for (const n of decision.notifications) {
        try {
          opts.show?.(n)
        } catch (e) {
          log.error('showing a notification failed', { e: String(e) })
        }
      }
    },
    async pause(choice) {
      state = withPause(state, choice, opts.clock.now())
      if (store) await store.write(NOTIFY_STATE_NAME, state)
    },
    pausedUntil: () => state.pausedUntil,
  }
}
