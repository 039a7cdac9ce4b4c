import type { Verdict } from '../model'
import { describeAge } from '../time-format'
import type { StatusState } from './status-state'

/** Which tray icon to show. */
export type TrayIcon = 'calm' | 'attention' | 'alarm' | 'grey'

/** What the tray shows for a state: icon, tooltip and the menu's status line. */
export interface TrayPresentation {
  readonly icon: TrayIcon
  readonly tooltip: string
  readonly statusLine: string
}

const ICON_BY_VERDICT: Readonly<Record<Verdict, TrayIcon>> = {
  safe: 'calm',
  attention: 'attention',
  alarm: 'alarm',
  unknown: 'grey',
}

/** Decides the tray's look from the state (pure: Signal `SystemTrayService` keeps this apart from Electron too). */
export function trayPresentation(state: StatusState, now: number): TrayPresentation {
  switch (state.kind) {
    case 'starting':
      return { icon: 'grey', tooltip: 'Lifeline: starting', statusLine: 'Starting…' }
    case 'checking': {
      const prev = state.previous
      return {
        icon: prev ? ICON_BY_VERDICT[prev.verdict] : 'grey',
        tooltip: 'Lifeline: checking sources…',
        statusLine: 'Checking sources…',
      }
    }
    case 'ready':
      return {
        icon: ICON_BY_VERDICT[state.report.verdict],
        tooltip: `Lifeline: ${state.report.summary}`,
        statusLine: state.report.summary,
      }
    case 'no-source': {
      const age = state.lastGood ? ` Last verified ${describeAge(now - state.lastGood.finishedAt)} ago.` : ''
      return {
        icon: 'grey',
        tooltip: `Lifeline: no source reachable.${age}`,
        statusLine: `No source reachable.${age}`,
      }
    }
  }
}

/** A tray menu entry; `id` names the action the Electron glue runs. */
export type TrayMenuItem =
  | { readonly kind: 'status'; readonly label: string }
  | { readonly kind: 'separator' }
  | { readonly kind: 'action'; readonly id: TrayActionId; readonly label: string; readonly enabled: boolean }

/** What a tray menu item asks the app to do. */
export type TrayActionId =
  'open' | 'check-now' | 'check-clipboard' | 'pause-1h' | 'pause-tomorrow' | 'resume-notifications' | 'quit'

/** What the menu needs beyond the presentation. */
export interface TrayMenuContext {
  /** Epoch ms until which notifications are paused, or null. */
  readonly pausedUntil: number | null
  readonly now: number
  /** False when a policy turns the clipboard check off (`allowClipboardCheck`). */
  readonly clipboardAllowed: boolean
  readonly checking: boolean
}

/**
 * The tray menu (docs/ui.md, "Tray"): one status line, Open, Check now, Check clipboard, Pause notifications (1 h / until
 * tomorrow) or Resume while paused, Quit. Pure, so its content is unit-tested without Electron.
 */
export function trayMenu(p: TrayPresentation, ctx: TrayMenuContext): readonly TrayMenuItem[] {
  const paused = ctx.pausedUntil !== null && ctx.now < ctx.pausedUntil
  const items: TrayMenuItem[] = [
    { kind: 'status', label: p.statusLine },
    { kind: 'separator' },
    { kind: 'action', id: 'open', label: 'Open Lifeline', enabled: true },
    {
      kind: 'action',
      id: 'check-now',
      label: ctx.checking ? 'Checking…' : 'Check now',
      enabled: !ctx.checking,
    },
  ]
  if (ctx.clipboardAllowed)
    items.push({ kind: 'action', id: 'check-clipboard', label: 'Check clipboard', enabled: true })
  items.push({ kind: 'separator' })
  if (paused && ctx.pausedUntil !== null) {
    items.push({
      kind: 'status',
      label: `Notifications paused for ${describeAge(ctx.pausedUntil - ctx.now)}`,
    })
    items.push({ kind: 'action', id: 'resume-notifications', label: 'Resume notifications', enabled: true })
  } else {
    items.push({ kind: 'action', id: 'pause-1h', label: 'Pause notifications for 1 hour', enabled: true })
    items.push({
      kind: 'action',
      id: 'pause-tomorrow',
      label: 'Pause notifications until tomorrow',
      enabled: true,
    })
  }
  items.push({ kind: 'separator' }, { kind: 'action', id: 'quit', label: 'Quit Lifeline', enabled: true })
  return items
}
