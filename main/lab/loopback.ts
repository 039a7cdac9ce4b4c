/**
 * Listening on 127.0.0.1, the one way every lab server does it (each target host, the control endpoint, the
 * full-size archive): bound to loopback only, never to all interfaces; open connections tracked so a close or a
 * fault switch is immediate; a listen failure turned into a coded error that says which port and why.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { CoreError } from '../core/errors'

/** Why a lab listener could not start (`startLab`'s other failures are the fixtures' LAB_* codes or file errors). */
export type LabStartErrorCode =
  | 'LAB_PORT_BUSY' // EADDRINUSE: another program listens on the port
  | 'LAB_PORT_FORBIDDEN' // EACCES: a privileged port (below 1024) without the right to bind it
  | 'LAB_LISTEN_FAILED' // any other listen error

/** Listens on `port` of 127.0.0.1 (0: a free one); rejects with the listen error. */
export function listenOnLoopback(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** The live connections of `server`, kept up to date, so closing can cut them instead of waiting for them. */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return sockets
}

/** Cuts every connection in `sockets` and stops `server` listening (resolves at once when it is not). */
export function closeServer(server: Server, sockets: ReadonlySet<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  if (!server.listening) return Promise.resolve()
  return new Promise<void>((resolve) => server.close(() => resolve()))
}

/** A coded error for a listener that could not start on `port` of 127.0.0.1 (`what` names it). */
export function listenError(e: unknown, port: number, what: string): CoreError<LabStartErrorCode> {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const details = {
    port,
    listener: what,
    errno: errno ?? null,
    reason: e instanceof Error ? e.message : String(e),
  }
  if (errno === 'EADDRINUSE')
    return new CoreError<LabStartErrorCode>(
      'LAB_PORT_BUSY',
      `port ${port} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one`,
      details,
    )
  if (errno === 'EACCES')
    return new CoreError<LabStartErrorCode>(
      'LAB_PORT_FORBIDDEN',
      `not allowed to listen on port ${port}: choose a port above 1023 with --port`,
      details,
    )
  return new CoreError<LabStartErrorCode>(
    'LAB_LISTEN_FAILED',
    `cannot listen on port ${port} of 127.0.0.1 for the ${what}: ${details.reason}`,
    details,
  )
}
