import type {
  ApiResult,
  AppInfoDto,
  InspectResultDto,
  NavigateDto,
  OpenAdvisoryDto,
  PauseChoiceDto,
  SettingKey,
  SettingsDto,
  StatusSnapshotDto,
} from './dto'

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
  /** Checks pasted instructions against the pinned advisory keys and the last assessment's verified fixes. */
  inspectText(text: string): Promise<ApiResult<InspectResultDto>>
  /** Electron only: main reads the clipboard now (only on this explicit request) and checks it. */
  checkClipboard(): Promise<ApiResult<InspectResultDto>>
  /** Opens the advisory's reference page; main picks the URL from its own data. */
  openAdvisory(id: string): Promise<ApiResult<OpenAdvisoryDto>>
  getSettings(): Promise<ApiResult<SettingsDto>>
  /** Changes one user setting; a value locked by a policy is refused with SETTING_LOCKED. */
  setSetting(key: SettingKey, value: number | string | boolean): Promise<ApiResult<SettingsDto>>
  /**
   * Turns one configured advisory source on or off (by id) in the user's settings; refused with SETTING_LOCKED when
   * a policy decides it, CHANNEL_UNKNOWN for an id that is not configured. Applies from the next check.
   */
  setChannelEnabled(id: string, enabled: boolean): Promise<ApiResult<SettingsDto>>
  pauseNotifications(choice: PauseChoiceDto): Promise<ApiResult<SettingsDto>>
  /** The page saw the network come back (`online` event): re-check now. */
  networkChanged(): Promise<ApiResult<null>>
  onStatusChanged(listener: (snapshot: StatusSnapshotDto) => void): Unsubscribe
  onSettingsChanged(listener: (settings: SettingsDto) => void): Unsubscribe
  onNavigate(listener: (to: NavigateDto) => void): Unsubscribe
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
