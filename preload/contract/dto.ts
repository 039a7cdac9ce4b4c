/**
 * JSON-safe view types: ISO-8601 strings, plain objects and arrays; no Date, Map, class or Uint8Array.
 *
 * Electron's structured clone, the loopback host's JSON and Playwright's serializer all treat these the same way.
 */

/** An expected failure travels as a value; `code` comes from the engine's error-code unions. */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string; readonly message: string }

export type VerdictDto = 'safe' | 'attention' | 'alarm' | 'unknown'

export interface MirrorStatusDto {
  readonly mirrorId: string
  readonly mirrorName: string
  readonly url: string
  readonly suite: string
  readonly state: string
  readonly detail: string
  readonly code: string | null
  readonly checkedAt: string
  readonly releaseDate: string | null
  readonly signedBy: string | null
}

export interface ReportDto {
  readonly startedAt: string
  readonly finishedAt: string
  readonly verdict: VerdictDto
  readonly summary: string
  readonly anyVerified: boolean
  readonly mirrors: readonly MirrorStatusDto[]
}

export interface ProgressDto {
  readonly done: number
  readonly total: number
  readonly label: string
}

/** The app state as the renderer mirrors it. The highest `revision` wins. */
export type StatusSnapshotDto =
  | { readonly revision: number; readonly kind: 'starting' }
  | {
      readonly revision: number
      readonly kind: 'checking'
      readonly startedAt: string
      readonly progress: ProgressDto
      readonly previous: ReportDto | null
    }
  | { readonly revision: number; readonly kind: 'ready'; readonly report: ReportDto }
  | {
      readonly revision: number
      readonly kind: 'no-source'
      readonly report: ReportDto
      readonly lastGood: ReportDto | null
    }

export interface AppInfoDto {
  readonly name: string
  readonly version: string
  /** How the UI is hosted: inside Electron, or in a browser through the loopback host. */
  readonly shell: 'electron' | 'browser'
}
