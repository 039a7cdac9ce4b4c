/**
 * The loopback host's event streams (server-sent events): the contract's events plus the host's own hello and
 * goodbye, with a heartbeat and bounds on how many streams and how much unread data a client may hold.
 */
import type { ServerResponse } from 'node:http'
import { Channels, EventNames } from '../../../preload/contract/channels'
import { Limits } from '../../core/limits'
import type { Backend } from '../backend'
import { send } from './responses'

/** Open event streams at most (Limits.host). */
export const MAX_EVENT_STREAMS = Limits.host.maxEventStreams
const MAX_STREAM_BUFFER_BYTES = Limits.host.maxStreamBufferBytes

/**
 * Events the host itself sends on the stream, beside the contract's: `host:hello` (with the heartbeat period, so the
 * page knows how long silence may last) and `host:stopping` (the server is shutting down on purpose).
 */
export const HostEvents = { hello: 'host:hello', stopping: 'host:stopping' } as const

/** The open streams of one host. */
export interface EventStreams {
  /** Answers `GET /api/events` (the caller has checked the sender): 503 past MAX_EVENT_STREAMS. */
  open(res: ServerResponse): void
  /** Stops the heartbeat and says `host:stopping` on every stream, waiting briefly for each to flush. */
  closeAll(): Promise<void>
}

/** Starts the heartbeat and returns the streams' registry. */
export function createEventStreams(backend: Backend): EventStreams {
  const streams = new Set<ServerResponse>()
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': ping\n\n')
  }, Limits.host.heartbeatMs)
  heartbeat.unref()
  return {
    open(res) {
      // A page needs one stream; a handful covers reloads racing their own close. More is a misbehaving client.
      if (streams.size >= MAX_EVENT_STREAMS) return send(res, 503, 'text/plain', 'too many event streams')
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
      })
      res.write(
        `event: ${HostEvents.hello}\ndata: ${JSON.stringify({ heartbeatMs: Limits.host.heartbeatMs })}\n\n`,
      )
      streams.add(res)
      const unsubscribes = EventNames.map((event) =>
        backend.on(event, (payload) => {
          // A client that stops reading must not make the app buffer without bound.
          if (res.writableLength > MAX_STREAM_BUFFER_BYTES) return void res.destroy()
          res.write(`event: ${Channels[event]}\ndata: ${JSON.stringify(payload)}\n\n`)
        }),
      )
      res.on('close', () => {
        for (const u of unsubscribes) u()
        streams.delete(res)
      })
    },
    async closeAll() {
      clearInterval(heartbeat)
      // Say goodbye on every stream and let it flush (briefly) before the sockets are cut.
      const flushed = [...streams].map(
        (s) =>
          new Promise<void>((ok) => {
            s.end(`event: ${HostEvents.stopping}\ndata: {}\n\n`, () => ok())
            setTimeout(ok, 250).unref()
          }),
      )
      await Promise.all(flushed)
    },
  }
}
