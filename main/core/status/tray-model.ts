import type { Verdict } from '../model'
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
      const age = state.lastGood ? ` Last verified ${formatAge(now - state.lastGood.finishedAt)} ago.` : ''
      return {
        icon: 'grey',
        tooltip: `Lifeline: no source reachable.${age}`,
        statusLine: `No source reachable.${age}`,
      }
    }
  }
}

/** "5 minutes", "3 hours", "2 days". */
export function formatAge(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000))
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`
  const h = Math.round(m / 60)
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}`
  const d = Math.round(h / 24)
  return `${d} days`
}
