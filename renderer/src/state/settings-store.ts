import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Api, Unsubscribe } from '../../../preload/contract/api'
import type { PauseChoiceDto, SettingKey, SettingsDto } from '../../../preload/contract/dto'

/** The Settings screen's state, mirrored from main (which owns the layers and the locks). */
export interface SettingsStoreState {
  readonly settings: SettingsDto | null
  /** The last refusal (e.g. a locked value) or failure, in words. */
  readonly error: string | null
  readonly errorCode: string | null
  readonly saving: SettingKey | null
  set(key: SettingKey, value: number | string | boolean): Promise<void>
  /** Turns one advisory source on or off (main refuses it when a policy decides). */
  setChannel(id: string, enabled: boolean): Promise<void>
  pause(choice: PauseChoiceDto): Promise<void>
  /** Fetches the settings again (after a reconnection). */
  refresh(): Promise<void>
  start(): Unsubscribe
}

/** Builds the settings store from an `Api`. */
export function createSettingsStore(api: Api): StoreApi<SettingsStoreState> {
  return createStore<SettingsStoreState>()((set, get) => ({
    settings: null,
    error: null,
    errorCode: null,
    saving: null,
    async set(key, value) {
      set({ saving: key })
      const r = await api.setSetting(key, value)
      if (r.ok) set({ settings: r.value, error: null, errorCode: null, saving: null })
      else set({ error: r.message, errorCode: r.code, saving: null })
    },
    async setChannel(id, enabled) {
      const r = await api.setChannelEnabled(id, enabled)
      if (r.ok) set({ settings: r.value, error: null, errorCode: null })
      else set({ error: r.message, errorCode: r.code })
    },
    async pause(choice) {
      const r = await api.pauseNotifications(choice)
      if (r.ok) set({ settings: r.value, error: null, errorCode: null })
      else set({ error: r.message, errorCode: r.code })
    },
    async refresh() {
      const r = await api.getSettings()
      if (r.ok) set({ settings: r.value, error: null, errorCode: null })
      else set({ error: r.message, errorCode: r.code })
    },
    start() {
      const off = api.onSettingsChanged((s) => set({ settings: s }))
      void get().refresh()
      return off
    },
  }))
}
