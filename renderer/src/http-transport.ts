import type { Transport } from '../../preload/bridge'
import type { Unsubscribe } from '../../preload/contract/api'
import type { ConnectionState } from './state/connection-store'

/** How long a request may take before the window says the connection is lost, by method (ms). */
const REQUEST_TIMEOUT_MS = 15_000
/** `checkNow` and `networkChanged` answer after a whole check, whose downloads have their own deadlines. */
const CHECK_TIMEOUT_MS = 10 * 60_000
const SLOW_METHODS: ReadonlySet<string> = new Set(['checkNow', 'networkChanged'])
/** Silence on the event stream longer than this many heartbeats means the host is gone or frozen. */
const MISSED_HEARTBEATS = 3
/** Until the host says its heartbeat, assume this one (ms). */
const DEFAULT_HEARTBEAT_MS = 5_000
/** Longest wait between reconnection attempts (ms); short, so a restarted Lifeline is found quickly. */
const MAX_RETRY_MS = 5_000

/** What the transport tells the window about the connection. */
export interface ConnectionSink {
  report(state: ConnectionState): void
  setRetry(f: () => void): void
}

/**
 * Browser-mode transport: requests are `POST /api/<method>`, events come from one `GET /api/events` stream read with
 * fetch (so the token travels in a header, never in a URL). Same origin only; the CSP allows nothing else.
 *
 * It never throws: a refused key, a timeout or a dead host come back as `{ ok: false, code }` values, and the
 * connection sink hears about them, so no screen is left "Checking…" forever or shows an old colour as current.
 */
export function createHttpTransport(
  token: Promise<string | null>,
  methodOf: (channel: string) => string,
  sink: ConnectionSink,
): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let streaming = false
  let stopped = false
  let wake: (() => void) | null = null
  sink.setRetry(() => wake?.())

  // Any 403 means this window's key does not work here (a new run of Lifeline has a new one): open it from its link.
  const refused = (): void => {
    stopped = true
    sink.report({ kind: 'refused', why: 'bad-token' })
  }

  const openStream = async (key: string): Promise<void> => {
    streaming = true
    for (let attempt = 0; !stopped; attempt++) {
      const abort = new AbortController()
      let heartbeatMs = DEFAULT_HEARTBEAT_MS
      let watchdog: ReturnType<typeof setTimeout> | undefined
      const feed = (): void => {
        clearTimeout(watchdog)
        watchdog = setTimeout(() => abort.abort(), heartbeatMs * MISSED_HEARTBEATS)
      }
      try {
        feed()
        const res = await fetch('/api/events', { headers: { 'x-lifeline-token': key }, signal: abort.signal })
        if (res.status === 403) {
          refused()
          return
        }
        if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`)
        await readEvents(
          res.body,
          (event, data) => {
            if (event === 'host:hello') {
              const hb = (data as { heartbeatMs?: unknown }).heartbeatMs
              if (typeof hb === 'number' && hb > 0) heartbeatMs = hb
              attempt = 0
              feed()
              sink.report({ kind: 'connected' })
              return
            }
            if (event === 'host:stopping') {
              stopped = true
              sink.report({ kind: 'stopped' })
              return
            }
            for (const l of listeners.get(event) ?? []) l(data)
          },
          feed,
        )
      } catch {
        // The host went away, froze or restarted: say so and retry with a short capped backoff.
      } finally {
        clearTimeout(watchdog)
        abort.abort()
      }
      if (stopped) return
      sink.report({ kind: 'lost', since: Date.now() })
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(MAX_RETRY_MS, 500 * 2 ** attempt))
        wake = () => {
          clearTimeout(t)
          r()
        }
      })
      wake = null
    }
  }

  return {
    async invoke(channel, args) {
      const key = await token
      if (key === null)
        return { ok: false, code: 'API_NO_TOKEN', message: 'This window has no key for Lifeline.' }
      const method = methodOf(channel)
      let res: Response
      try {
        res = await fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lifeline-token': key },
          body: JSON.stringify({ args }),
          signal: AbortSignal.timeout(SLOW_METHODS.has(method) ? CHECK_TIMEOUT_MS : REQUEST_TIMEOUT_MS),
        })
      } catch {
        if (!stopped) sink.report({ kind: 'lost', since: Date.now() })
        return { ok: false, code: 'API_UNREACHABLE', message: 'Lifeline did not answer.' }
      }
      if (res.status === 403) {
        refused()
        return { ok: false, code: 'API_FORBIDDEN', message: 'Lifeline refused the key of this window.' }
      }
      if (res.status !== 200) return { ok: false, code: 'API_TRANSPORT', message: `HTTP ${res.status}` }
      return res.json() as Promise<unknown>
    },
    on(channel, listener): Unsubscribe {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener)
      if (!streaming) {
        streaming = true
        void token.then((key) => {
          if (key !== null) void openStream(key)
        })
      }
      return () => void set.delete(listener)
    },
  }
}

/**
 * Reads server-sent events (`event:` + `data:` lines, blank-line separated) from a byte stream; `onBytes` hears
 * every chunk, heartbeat comments included.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: unknown) => void,
  onBytes: () => void = () => undefined,
): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buf = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onBytes()
    buf += decoder.decode(value, { stream: true })
    let cut: number
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, cut)
      buf = buf.slice(cut + 2)
      let event = 'message'
      let data = ''
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7)
        else if (line.startsWith('data: ')) data += line.slice(6)
      }
      if (data) onEvent(event, JSON.parse(data) as unknown)
    }
  }
}

/** Why a bootstrap code was refused, from the host's answer. */
export type CodeRefusal = 'code-used' | 'code-expired'

/**
 * The window's key: exchanges a one-time `#code=` for the session token (once), or takes a printed `#token=`, or the
 * one this tab already holds; the fragment leaves the address bar at once. Null when there is no usable key, with the
 * reason reported to the sink.
 */
export async function obtainToken(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  location: { readonly hash: string; readonly pathname: string },
  replaceUrl: (path: string) => void,
  sink: Pick<ConnectionSink, 'report'>,
): Promise<string | null> {
  const KEY = 'lifeline-token'
  const params = new URLSearchParams(location.hash.slice(1))
  const code = params.get('code')
  const fromHash = params.get('token')
  if (code !== null || fromHash !== null) replaceUrl(location.pathname)
  if (fromHash) {
    storage.setItem(KEY, fromHash)
    return fromHash
  }
  if (code) {
    // The host may be busy starting its first check: retry a few times while the code is still alive.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const res = await fetch('/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        })
        const body = (await res.json().catch(() => null)) as { token?: unknown; reason?: unknown } | null
        if (res.ok && typeof body?.token === 'string') {
          storage.setItem(KEY, body.token)
          return body.token
        }
        // A tab that already exchanged its code keeps working after a reload of the same link.
        const held = storage.getItem(KEY)
        if (held) return held
        sink.report({ kind: 'refused', why: body?.reason === 'expired-code' ? 'code-expired' : 'code-used' })
        return null
      } catch {
        sink.report({ kind: 'lost', since: Date.now() })
        await new Promise((r) => setTimeout(r, 2_000))
      }
    }
    const held = storage.getItem(KEY)
    if (held) return held
    // Lifeline never answered while the link was valid: say that the link does not work any more.
    sink.report({ kind: 'refused', why: 'code-expired' })
    return null
  }
  const held = storage.getItem(KEY)
  if (held) return held
  sink.report({ kind: 'no-token' })
  return null
}
