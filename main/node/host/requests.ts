/**
 * Reading a request to the loopback host: the headers the sender policy judges (`sender-policy.ts`), the path,
 * and the body under a size cap.
 */
import type { IncomingMessage } from 'node:http'
import { Limits } from '../../core/limits'
import type { HostRequestFacts } from './sender-policy'

// A pasted text of up to Limits.size.pastedTextBytes UTF-16 units may take 3 bytes each in UTF-8, plus JSON escaping.
const MAX_BODY_BYTES = 4 * Limits.size.pastedTextBytes + 64 * 1024
const TOKEN_HEADER = 'x-lifeline-token'

/** The headers `sender-policy.ts` decides on; a repeated header counts by its first value. */
export function requestFacts(req: IncomingMessage): HostRequestFacts {
  const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)
  return {
    host: one(req.headers.host),
    origin: one(req.headers.origin),
    token: one(req.headers[TOKEN_HEADER]),
    secFetchSite: one(req.headers['sec-fetch-site']),
  }
}

/**
 * Whether the request says its body is JSON. Requiring it keeps out the "simple" cross-site requests (form posts)
 * a browser sends without asking.
 */
export function isJsonRequest(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/json')
}

/** `decodeURIComponent`, or undefined for a malformed `%`-sequence (a client error, answered 400, not a crash). */
export function decodePath(p: string): string | undefined {
  try {
    return decodeURIComponent(p)
  } catch {
    return undefined
  }
}

/** The body as UTF-8 text, or undefined once it passes `max` bytes (the connection is then cut). */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        ok(undefined)
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}
