import { createStore, type StoreApi } from 'zustand/vanilla'

/**
 * How the window stands with the Lifeline process behind it (browser mode; Electron is always `connected`).
 *
 * ```
 *  connecting ──stream opens──▶ connected ──silence / request timeout──▶ lost ──stream opens──▶ connected
 *      │                           │                                      │
 *      │ no key in the link        │ host says "stopping"                 │ key refused (a new run of Lifeline)
 *      ▼                           ▼                                      ▼
 *   no-token                    stopped                                refused
 * ```
 */
export type ConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'lost'; readonly since: number }
  | { readonly kind: 'no-token' }
  | { readonly kind: 'refused'; readonly why: RefusalReason }
  | { readonly kind: 'stopped' }

/** Why Lifeline refused this window's key. */
export type RefusalReason = 'bad-token' | 'code-used' | 'code-expired'

/** The connection store: the state, and a way to ask the transport to retry at once. */
export interface ConnectionStoreState {
  readonly state: ConnectionState
  report(next: ConnectionState): void
  /** Set by the transport; the "Try now" button calls it. */
  readonly retryNow: () => void
  setRetry(f: () => void): void
}

/**
 * Builds the connection store. Once refused or stopped it stays so: the key of this window will not work again,
 * so a later "connected" cannot happen and a late "lost" must not hide the real reason.
 */
export function createConnectionStore(
  initial: ConnectionState = { kind: 'connecting' },
): StoreApi<ConnectionStoreState> {
  return createStore<ConnectionStoreState>()((set, get) => ({
    state: initial,
    retryNow: () => undefined,
    report(next) {
      const cur = get().state
      if (cur.kind === 'refused' || cur.kind === 'no-token' || cur.kind === 'stopped') return
      if (cur.kind === next.kind) return
      set({ state: next })
    },
    setRetry(f) {
      set({ retryNow: f })
    },
  }))
}

/** True when the window may show Lifeline's answers (anything else would show stale or no data as current). */
export function isLive(
  s: ConnectionState,
): s is Extract<ConnectionState, { readonly kind: 'connected' | 'connecting' }> {
  return s.kind === 'connected' || s.kind === 'connecting'
}
