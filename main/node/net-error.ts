/**
 * How a failed download becomes a coded `NET_*` error (`main/core/errors.ts`): the one place that turns Node's
 * socket and DNS errors into what the engine reports as "unreachable".
 */
import { CoreError } from '../core/errors'
import type { NetErrorCode } from '../core/errors'
import { errnoCode } from './errno'

const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
])

/** A `NET_*` error about the request for `url` (the URL the caller asked for, not a redirect target). */
export function netError(
  code: NetErrorCode,
  message: string,
  url: string,
  extra: Record<string, string | number> = {},
): CoreError<NetErrorCode> {
  return new CoreError<NetErrorCode>(code, message, { url, ...extra })
}

/** Any failure of a request as a coded error: a CoreError stays as it is, everything else is NET_UNREACHABLE. */
export function toNetError(e: unknown, url: string): CoreError {
  if (e instanceof CoreError) return e
  const code = errnoCode(e)
  const message = e instanceof Error ? e.message : String(e)
  if (UNREACHABLE_CODES.has(code) || message === 'socket hang up') {
    return netError('NET_UNREACHABLE', `cannot reach ${url}: ${code || message}`, url, {
      cause: code || message,
    })
  }
  // TLS failures (bad certificate, handshake) also leave the mirror unreachable for us.
  return netError('NET_UNREACHABLE', `request to ${url} failed: ${message}`, url, { cause: code || message })
}
