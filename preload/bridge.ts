import type { Api, Unsubscribe } from './contract/api'
import { Channels } from './contract/channels'
import type { ApiResult, AppInfoDto, StatusSnapshotDto } from './contract/dto'

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
  return {
    getAppInfo: () => transport.invoke(Channels.getAppInfo, []) as Promise<ApiResult<AppInfoDto>>,
    getStatus: () => transport.invoke(Channels.getStatus, []) as Promise<ApiResult<StatusSnapshotDto>>,
    checkNow: () => transport.invoke(Channels.checkNow, []) as Promise<ApiResult<StatusSnapshotDto>>,
    onStatusChanged: (listener) =>
      transport.on(Channels.onStatusChanged, (p) => listener(p as StatusSnapshotDto)),
  }
}
