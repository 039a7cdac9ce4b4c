import { createBridge } from '../../preload/bridge'
import type { Api } from '../../preload/contract/api'
import { Channels } from '../../preload/contract/channels'
import { createHttpTransport } from './http-transport'

declare global {
  interface Window {
    readonly api?: Api
  }
}

const TOKEN_KEY = 'lifeline-token'

/**
 * The only reader of `window.api`. In Electron the preload exposes it; in browser mode the same `createBridge` runs
 * over HTTP, with the per-run token taken from the URL fragment (then removed from the address bar).
 */
export function getApi(): Api {
  if (window.api) return window.api
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', window.location.pathname)
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
  const byChannel = new Map<string, string>(Object.entries(Channels).map(([method, ch]) => [ch, method]))
  return createBridge(createHttpTransport(token, (ch) => byChannel.get(ch) ?? ch))
}

/** Which shell hosts the page: Electron exposes `window.api` through the preload; otherwise browser mode. */
export function shellOf(): 'electron' | 'browser' {
  return window.api ? 'electron' : 'browser'
}
