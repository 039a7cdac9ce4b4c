import type { Api, EventName } from './api'

/** Channel name of every API member. A missing or extra entry is a type error. */
export const Channels = {
  getAppInfo: 'app:get-app-info',
  getStatus: 'app:get-status',
  checkNow: 'app:check-now',
  inspectText: 'app:inspect-text',
  checkClipboard: 'app:check-clipboard',
  openAdvisory: 'app:open-advisory',
  getSettings: 'app:get-settings',
  setSetting: 'app:set-setting',
  setChannelEnabled: 'app:set-channel-enabled',
  pauseNotifications: 'app:pause-notifications',
  networkChanged: 'app:network-changed',
  onStatusChanged: 'app:status-changed',
  onSettingsChanged: 'app:settings-changed',
  onNavigate: 'app:navigate',
} as const satisfies Record<keyof Api, `app:${string}`>

/** Any IPC channel name of the contract. */
export type Channel = (typeof Channels)[keyof typeof Channels]

/** Every event subscription, for transports that forward all of them (the loopback host's event stream). */
export const EventNames: readonly EventName[] = ['onStatusChanged', 'onSettingsChanged', 'onNavigate']
