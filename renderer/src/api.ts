import { createBridge } from '../../preload/bridge'
import type { Api } from '../../preload/contract/api'
import { Channels } from '../../preload/contract/channels'
import { createHttpTransport, obtainToken } from './http-transport'
import { createConnectionStore, type ConnectionStoreState } from './state/connection-store'
import type { StoreApi } from 'zustand/vanilla'

declare global {
  interface Window {
    readonly api?: Api
  }
}

/** The API and how the window stands with the process behind it. */
export interface ApiConnection {
  readonly api: Api
  readonly connection: StoreApi<ConnectionStoreState>
}

/**
 * The only reader of `window.api`. In Electron the preload exposes it (and the connection cannot be lost); in
 * browser mode the same `createBridge` runs over HTTP, with the key taken from the link (docs/trust.md, "Browser
 * mode's key").
 */
export function getApi(): ApiConnection {
  if (window.api) return { api: window.api, connection: createConnectionStore({ kind: 'connected' }) }
  const connection = createConnectionStore()
  const sink = connection.getState()
  const token = obtainToken(sessionStorage, window.location, (p) => history.replaceState(null, '', p), sink)
  const byChannel = new Map<string, string>(Object.entries(Channels).map(([method, ch]) => [ch, method]))
  const api = createBridge(createHttpTransport(token, (ch) => byChannel.get(ch) ?? ch, sink))
  return { api, connection }
}

/** Which shell hosts the page: Electron exposes `window.api` through the preload; otherwise browser mode. */
export function shellOf(): 'electron' | 'browser' {
  return window.api ? 'electron' : 'browser'
}
