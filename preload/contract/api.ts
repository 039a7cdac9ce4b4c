import type { ApiResult, AppInfoDto, StatusSnapshotDto } from './dto'

/** Stops a subscription. */
export type Unsubscribe = () => void

/**
 * The renderer's whole view of main. One method per message; arguments are identifiers, never URLs, paths or
 * commands. Requests resolve to `ApiResult`; subscriptions are `on*` and return an `Unsubscribe`.
 */
export interface Api {
  getAppInfo(): Promise<ApiResult<AppInfoDto>>
  getStatus(): Promise<ApiResult<StatusSnapshotDto>>
  /** Starts a check (or joins the running one); resolves with the snapshot after it. */
  checkNow(): Promise<ApiResult<StatusSnapshotDto>>
  onStatusChanged(listener: (snapshot: StatusSnapshotDto) => void): Unsubscribe
}

/** Names of the request methods. */
export type RequestName = { [K in keyof Api]: K extends `on${string}` ? never : K }[keyof Api]

/** Names of the event subscriptions. */
export type EventName = { [K in keyof Api]: K extends `on${string}` ? K : never }[keyof Api]

/** What main implements for every request: the same signature, sync or async. */
export type Handlers = {
  readonly [K in RequestName]: Api[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<R> | R
    : never
}

/** Payload type of each event. */
export type Events = {
  readonly [K in EventName]: Api[K] extends (listener: (payload: infer P) => void) => Unsubscribe ? P : never
}
