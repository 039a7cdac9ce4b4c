import type { Transport } from '../../preload/bridge'
import type { Unsubscribe } from '../../preload/contract/api'

/**
 * Browser-mode transport: requests are `POST /api/<method>`, events come from one `GET /api/events` stream read with
 * fetch (so the token travels in a header, never in a URL). Same origin only; the CSP allows nothing else.
 */
export function createHttpTransport(token: string, methodOf: (channel: string) => string): Transport {
  const headers = { 'content-type': 'application/json', 'x-lifeline-token': token }
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let streaming = false

  const openStream = async (): Promise<void> => {
    streaming = true
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch('/api/events', { headers: { 'x-lifeline-token': token } })
        if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`)
        attempt = 0
        await readEvents(res.body, (event, data) => {
          for (const l of listeners.get(event) ?? []) l(data)
        })
      } catch {
        // The host went away (app quit or restarted): retry with a capped backoff.
      }
      await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)))
    }
  }

  return {
    async invoke(channel, args) {
      const res = await fetch(`/api/${encodeURIComponent(methodOf(channel))}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ args }),
      })
      if (res.status !== 200) return { ok: false, code: 'API_TRANSPORT', message: `HTTP ${res.status}` }
      return res.json() as Promise<unknown>
    },
    on(channel, listener): Unsubscribe {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener)
      if (!streaming) void openStream()
      return () => void set.delete(listener)
    },
  }
}

/** Reads server-sent events (`event:` + `data:` lines, blank-line separated) from a byte stream. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buf = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
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
