import type { Events } from '../../../preload/contract/api'

/** The backend's event streams (the contract's `on*` members), fanned out to every subscriber. */
export interface EventHub {
  /** Subscribes to one stream; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void
  /** Sends one payload to every subscriber of `event`. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void
  /** Whether anyone listens to `event` (a payload nobody reads need not be built). */
  hasListeners(event: keyof Events): boolean
}

/** An event hub with no subscribers yet. */
export function createEventHub(): EventHub {
  const listeners: { [K in keyof Events]: Set<(p: Events[K]) => void> } = {
    onStatusChanged: new Set(),
    onSettingsChanged: new Set(),
    onNavigate: new Set(),
  }
  return {
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>
      set.add(listener)
      return () => void set.delete(listener)
    },
    emit(event, payload) {
      for (const l of listeners[event]) (l as (p: typeof payload) => void)(payload)
    },
    hasListeners: (event) => listeners[event].size > 0,
  }
}
