/**
 * Which local user is on the other end of a loopback TCP connection (Linux).
 *
 * Browser mode's one-time code travels on Chromium's command line, which every local user can read in
 * `/proc/PID/cmdline`: another user who exchanges it first gets the session token. The kernel knows who owns each
 * socket and says so in `/proc/net/tcp` (and `tcp6`, for v4-mapped clients), so the host can refuse a client that is
 * not the user running Lifeline, whatever secret it presents (docs/trust.md, "Browser mode's key").
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/** Reads one `/proc/net/*` table; injectable so the parser can be tested on a fixed table. */
export type ProcReader = (path: string) => Promise<string>

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'] as const
// The TCP state of a socket no process owns any more (its uid reads 0): never the answer.
const TIME_WAIT = '06'
// 127.0.0.1 as the kernel prints it: little- or big-endian 32-bit words, bare (tcp) or v4-mapped (tcp6).
const LOOPBACK_HEX: ReadonlySet<string> = new Set([
  '0100007F',
  '7F000001',
  '0000000000000000FFFF00000100007F',
  '0000000000000000FFFF00007F000001',
  '00000000000000000000FFFF0100007F',
])

/**
 * The uid owning the client socket `127.0.0.1:clientPort` → `127.0.0.1:serverPort`, or undefined when no table
 * lists exactly one live socket for that pair (then the caller cannot tell who it is, and refuses).
 */
export async function loopbackPeerUid(
  clientPort: number,
  serverPort: number,
  read: ProcReader = (p) => readFile(p, 'utf8'),
): Promise<number | undefined> {
  const uids: number[] = []
  for (const table of TABLES) {
    let text: string
    try {
      text = await read(table)
    } catch {
      continue // tcp6 is absent on a kernel without IPv6
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      const [local, remote, state, , , , uid] = f.slice(1)
      if (local === undefined || remote === undefined || uid === undefined || state === TIME_WAIT) continue
      const l = splitAddress(local)
      const r = splitAddress(remote)
      if (l === undefined || r === undefined) continue
      if (l.port !== clientPort || r.port !== serverPort) continue
      if (!LOOPBACK_HEX.has(l.host) || !LOOPBACK_HEX.has(r.host)) continue
      const n = Number(uid)
      if (Number.isInteger(n) && n >= 0) uids.push(n)
    }
  }
  // One connection has one client socket; anything else is a table we do not understand.
  return uids.length === 1 ? uids[0] : undefined
}

function splitAddress(a: string): { readonly host: string; readonly port: number } | undefined {
  const colon = a.lastIndexOf(':')
  if (colon < 0) return undefined
  const port = Number.parseInt(a.slice(colon + 1), 16)
  return Number.isNaN(port) ? undefined : { host: a.slice(0, colon).toUpperCase(), port }
}

/** Why a client is not the user running Lifeline, or undefined when it is (or when that cannot be asked). */
export type OwnerCheck = (req: IncomingMessage) => Promise<'other-user' | 'unknown-user' | undefined>

/**
 * The check that the client on the other end is the user running Lifeline, for the listener on `serverPort()`.
 *
 * Linux only: elsewhere there is no /proc/net, and every client passes. The answer is asked once per socket (a
 * keep-alive connection sends many requests).
 */
export function createOwnerCheck(serverPort: () => number): OwnerCheck {
  const ownUid = process.platform === 'linux' ? process.getuid?.() : undefined
  const peerUids = new WeakMap<Socket, Promise<number | undefined>>()
  return async (req) => {
    if (ownUid === undefined) return undefined
    let uid = peerUids.get(req.socket)
    if (uid === undefined) {
      uid = loopbackPeerUid(req.socket.remotePort ?? -1, serverPort())
      peerUids.set(req.socket, uid)
    }
    const peer = await uid
    if (peer === undefined) return 'unknown-user'
    return peer === ownUid ? undefined : 'other-user'
  }
}
