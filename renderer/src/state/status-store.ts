import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Api, Unsubscribe } from '../../../preload/contract/api'
import type { StatusSnapshotDto } from '../../../preload/contract/dto'

/** The renderer's mirror of main's state machine. */
export interface StatusStoreState {
  readonly snapshot: StatusSnapshotDto | null
  /** The last request failure, in words; cleared by the next success. */
  readonly error: string | null
  readonly requesting: boolean
  checkNow(): Promise<void>
  /** Fetches the snapshot again (after a reconnection, events may have been missed). */
  refresh(): Promise<void>
  /** Subscribes to changes first, then fetches the snapshot (VS Code `UpdateChannelClient`). */
  start(): Unsubscribe
}

/** Keeps whichever snapshot is newer by revision. */
export function newer(a: StatusSnapshotDto | null, b: StatusSnapshotDto): StatusSnapshotDto {
  return a !== null && a.revision >= b.revision ? a : b
}

/** Builds the status store from an `Api` (a fake one in unit tests). */
export function createStatusStore(api: Api): StoreApi<StatusStoreState> {
  return createStore<StatusStoreState>()((set, get) => ({
    snapshot: null,
    error: null,
    requesting: false,
    async checkNow() {
      set({ requesting: true })
      const r = await api.checkNow()
      if (r.ok) set({ snapshot: newer(get().snapshot, r.value), error: null, requesting: false })
      else set({ error: r.message, requesting: false })
    },
    async refresh() {
      const r = await api.getStatus()
      if (r.ok) set({ snapshot: newer(get().snapshot, r.value), error: null })
      else set({ error: r.message })
    },
    start() {
      const unsubscribe = api.onStatusChanged((s) => set({ snapshot: newer(get().snapshot, s) }))
      void get().refresh()
      return unsubscribe
    },
  }))
}
