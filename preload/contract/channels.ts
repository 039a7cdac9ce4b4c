import type { Api } from './api'

/** Channel name of every API member. A missing or extra entry is a type error. */
export const Channels = {
  getAppInfo: 'app:get-app-info',
  getStatus: 'app:get-status',
  checkNow: 'app:check-now',
  onStatusChanged: 'app:status-changed',
} as const satisfies Record<keyof Api, `app:${string}`>

export type Channel = (typeof Channels)[keyof typeof Channels]
