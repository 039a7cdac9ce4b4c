/**
 * How the loopback host answers: every response, page, API or error, goes through `send`, which sets the
 * Content-Security-Policy and the other hardening headers.
 */
import type { ServerResponse } from 'node:http'

/**
 * The page's Content-Security-Policy. `renderer/index.html` carries the same policy in a `<meta>` tag (a unit test
 * keeps the two equal); the header also covers what a meta tag cannot (it applies before any byte is parsed, and to
 * every response, not just the HTML).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"

/** Answers with `body` and the security headers: CSP, no caching, no sniffing, no framing, no referrer. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  })
  res.end(body)
}

/** `send` of a JSON value. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value))
}
