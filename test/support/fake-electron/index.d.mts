// Types of the fake electron module (index.mjs), for tests that import it directly or through vi.mock.
import type { EventEmitter } from 'node:events'

/** A recorded tray. */
export interface FakeTray extends EventEmitter {
  readonly images: (string | null)[]
  readonly tooltips: string[]
  readonly menus: {
    readonly template: { label?: string; type?: string; enabled?: boolean; click?: () => void }[]
  }[]
  readonly destroyed: boolean
}

/** A recorded notification. */
export interface FakeNotification extends EventEmitter {
  readonly options: { title: string; body: string; urgency?: string; icon?: string }
}

/** What the app did to Electron. */
export interface Recorder {
  calls: unknown[][]
  ready: boolean
  trays: FakeTray[]
  notifications: FakeNotification[]
  openExternal: string[]
  emptyImages: string[]
}

export const recorder: Recorder
export const app: EventEmitter & { fireReady(): void; isReady(): boolean }
export const shell: { openExternal(url: string): Promise<void> }
export const Notification: { isSupported(): boolean }
