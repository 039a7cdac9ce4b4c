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
 * The transport's shared state: its key, where events go, and whether the event stream runs or has stopped. One
 * object per window; the functions below change it (`streaming`, `stopped`, `wake` are the only mutable parts).
 */
interface TransportState {
  readonly token: Promise<string | null>
  readonly methodOf: (channel: string) => string
  readonly sink: ConnectionSink
  readonly listeners: Map<string, Set<(payload: unknown) => void>>
  streaming: boolean
  stopped: boolean
  /** Ends the wait before the next reconnection attempt at once (the window's "Retry"). */
  wake: (() => void) | null
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
  const state: TransportState = {
    token,
    methodOf,
    sink,
    listeners: new Map(),
    streaming: false,
    stopped: false,
    wake: null,
  }
  sink.setRetry(() => state.wake?.())
  return {
    invoke: (channel, args) => invokeOverHttp(state, channel, args),
    on(channel, listener): Unsubscribe {
      let set = state.listeners.get(channel)
      if (!set) state.listeners.set(channel, (set = new Set()))
      set.add(listener)
      if (!state.streaming) {
        state.streaming = true
        void token.then((key) => {
          if (key !== null) void openStream(state, key)
        })
      }
      return () => void set.delete(listener)
    },
  }
}

// Any 403 means this window's key does not work here (a new run of Lifeline has a new one): open it from its link.
function refuse(state: TransportState): void {
  state.stopped = true
  state.sink.report({ kind: 'refused', why: 'bad-token' })
}

/** One request: `POST /api/<method>` with the window's key and a deadline; every failure is a value. */
async function invokeOverHttp(state: TransportState, channel: string, args: unknown): Promise<unknown> {
  const key = await state.token
  if (key === null)
    return { ok: false, code: 'API_NO_TOKEN', message: 'This window has no key for Lifeline.' }
  const method = state.methodOf(channel)
  let res: Response
  try {
    res = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lifeline-token': key },
      body: JSON.stringify({ args }),
      signal: AbortSignal.timeout(SLOW_METHODS.has(method) ? CHECK_TIMEOUT_MS : REQUEST_TIMEOUT_MS),
    })
  } catch {
    if (!state.stopped) state.sink.report({ kind: 'lost', since: Date.now() })
    return { ok: false, code: 'API_UNREACHABLE', message: 'Lifeline did not answer.' }
  }
  if (res.status === 403) {
    refuse(state)
    return { ok: false, code: 'API_FORBIDDEN', message: 'Lifeline refused the key of this window.' }
  }
  if (res.status !== 200) return { ok: false, code: 'API_TRANSPORT', message: `HTTP ${res.status}` }
  return res.json() as Promise<unknown>
}

/** Keeps the event stream open: on any loss, says so and reconnects with a short capped backoff. */
async function openStream(state: TransportState, key: string): Promise<void> {
  state.streaming = true
  for (let attempt = 0; !state.stopped; attempt++) {
    await streamOnce(state, key, () => {
      attempt = 0
    })
    if (state.stopped) return
    state.sink.report({ kind: 'lost', since: Date.now() })
    await new Promise<void>((r) => {
      const t = setTimeout(r, Math.min(MAX_RETRY_MS, 500 * 2 ** attempt))
      state.wake = () => {
        clearTimeout(t)
        r()
      }
    })
    state.wake = null
  }
}

/**
 * Reads the event stream once, until it ends, fails or falls silent for `MISSED_HEARTBEATS` heartbeats (a watchdog
 * aborts it). `onHello` hears the host's greeting, which resets the backoff.
 */
async function streamOnce(state: TransportState, key: string, onHello: () => void): Promise<void> {
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
    if (res.status === 403) return refuse(state)
    if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`)
    const onEvent = (event: string, data: unknown): void => {
      if (event === 'host:hello') {
        const hb = (data as { heartbeatMs?: unknown }).heartbeatMs
        if (typeof hb === 'number' && hb > 0) heartbeatMs = hb
        onHello()
        feed()
        state.sink.report({ kind: 'connected' })
        return
      }
      if (event === 'host:stopping') {
        state.stopped = true
        state.sink.report({ kind: 'stopped' })
        return
      }
      for (const l of state.listeners.get(event) ?? []) l(data)
    }
    await readEvents(res.body, onEvent, feed)
  } catch {
    // The host went away, froze or restarted: the caller says so and retries.
  } finally {
    clearTimeout(watchdog)
    abort.abort()
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
