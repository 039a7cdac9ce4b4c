import type { Api, Unsubscribe } from './contract/api'
import { Channels } from './contract/channels'
import type {
  ApiResult,
  AppInfoDto,
  InspectResultDto,
  NavigateDto,
  OpenAdvisoryDto,
  SettingsDto,
  StatusSnapshotDto,
} from './contract/dto'

/** How the bridge reaches main: Electron IPC in the preload, HTTP + event stream in browser mode. */
export interface Transport {
  invoke(channel: string, args: readonly unknown[]): Promise<unknown>
  on(channel: string, listener: (payload: unknown) => void): Unsubscribe
}

/**
 * Builds the `Api` the renderer sees, one explicit method per channel (no generic `invoke` is exposed).
 *
 * Payloads are trusted to match the contract: main is the only peer, and it validates its own side.
 */
export function createBridge(transport: Transport): Api {
  const call = <T>(channel: string, args: readonly unknown[] = []): Promise<ApiResult<T>> =>
    transport.invoke(channel, args) as Promise<ApiResult<T>>
  return {
    getAppInfo: () => call<AppInfoDto>(Channels.getAppInfo),
    getStatus: () => call<StatusSnapshotDto>(Channels.getStatus),
    checkNow: () => call<StatusSnapshotDto>(Channels.checkNow),
    inspectText: (text) => call<InspectResultDto>(Channels.inspectText, [text]),
    checkClipboard: () => call<InspectResultDto>(Channels.checkClipboard),
    openAdvisory: (id) => call<OpenAdvisoryDto>(Channels.openAdvisory, [id]),
    getSettings: () => call<SettingsDto>(Channels.getSettings),
    setSetting: (key, value) => call<SettingsDto>(Channels.setSetting, [key, value]),
    setChannelEnabled: (id, enabled) => call<SettingsDto>(Channels.setChannelEnabled, [id, enabled]),
    pauseNotifications: (choice) => call<SettingsDto>(Channels.pauseNotifications, [choice]),
    networkChanged: () => call<null>(Channels.networkChanged),
    onStatusChanged: (listener) =>
      transport.on(Channels.onStatusChanged, (p) => listener(p as StatusSnapshotDto)),
    onSettingsChanged: (listener) =>
      transport.on(Channels.onSettingsChanged, (p) => listener(p as SettingsDto)),
    onNavigate: (listener) => transport.on(Channels.onNavigate, (p) => listener(p as NavigateDto)),
  }
}
