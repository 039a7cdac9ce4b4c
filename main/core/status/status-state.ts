import type { CheckReport } from '../check/report'

/**
 * The app's state machine, owned by main and mirrored by the renderer (VS Code `update.ts` style).
 *
 * ```
 *   Starting ──► Checking ──► Ready(report)          at least one source verified
 *                  ▲  │
 *                  │  └─────► NoSource(lastGood?)     nothing reachable or nothing verified
 *                  │                 │
 *                  └── checkNow / schedule ◄──┘
 * ```
 *
 * `Checking` keeps the previous report so the UI never goes blank while a check runs.
 */
export type StatusState =
  | { readonly kind: 'starting' }
  | {
      readonly kind: 'checking'
      readonly startedAt: number
      readonly previous: CheckReport | undefined
      readonly progress: CheckProgress
    }
  | { readonly kind: 'ready'; readonly report: CheckReport }
  | {
      readonly kind: 'no-source'
      readonly report: CheckReport
      /** The last report in which something verified, shown with its age. */
      readonly lastGood: CheckReport | undefined
    }

/** How far a running check has come. */
export interface CheckProgress {
  readonly done: number
  readonly total: number
  readonly label: string
}

/** Factories for `StatusState`. */
export const Status = {
  Starting: (): StatusState => ({ kind: 'starting' }),
  Checking: (
    startedAt: number,
    previous: CheckReport | undefined,
    progress?: CheckProgress,
  ): StatusState => ({
    kind: 'checking',
    startedAt,
    previous,
    progress: progress ?? { done: 0, total: 0, label: 'Starting check' },
  }),
  Ready: (report: CheckReport): StatusState => ({ kind: 'ready', report }),
  NoSource: (report: CheckReport, lastGood: CheckReport | undefined): StatusState => ({
    kind: 'no-source',
    report,
    lastGood,
  }),
} as const

/** The most recent report a state carries, if any. */
export function latestReport(s: StatusState): CheckReport | undefined {
  switch (s.kind) {
    case 'starting':
      return undefined
    case 'checking':
      return s.previous
    case 'ready':
    case 'no-source':
      return s.report
  }
}

/** The last report in which a source verified, if any. */
export function lastGoodReport(s: StatusState): CheckReport | undefined {
  switch (s.kind) {
    case 'starting':
      return undefined
    case 'checking':
      return s.previous?.anyVerified ? s.previous : undefined
    case 'ready':
      return s.report
    case 'no-source':
      return s.lastGood
  }
}
