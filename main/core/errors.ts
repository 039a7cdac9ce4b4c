/**
 * Coded errors of the engine (sigstore `BaseError<Code>` style).
 *
 * Every expected failure carries a stable `code` that tests assert on and the UI maps to plain words. Each area
 * declares its own code union next to its code; `ErrorCode` joins them.
 */
export class CoreError<C extends string = string> extends Error {
  override readonly name = 'CoreError'
  constructor(
    readonly code: C,
    message: string,
    readonly details: Readonly<Record<string, string | number | boolean | null>> = {},
  ) {
    super(message)
  }
}

/** True when `e` is a CoreError, optionally with the given code. */
export function isCoreError(e: unknown, code?: string): e is CoreError {
  return e instanceof CoreError && (code === undefined || e.code === code)
}

/** Network and download failures, raised by any `Fetcher` implementation. */
export type NetErrorCode =
  | 'NET_BAD_URL' // not a URL, or a scheme this request may not use
  | 'NET_UNREACHABLE' // DNS failure, connection refused or reset
  | 'NET_TIMEOUT' // connect or total deadline passed
  | 'NET_TOO_SLOW' // transfer rate stayed under the minimum
  | 'NET_TOO_LARGE' // body exceeded the size cap
  | 'NET_HTTP_STATUS' // a status other than 200/304
  | 'NET_REDIRECT_LIMIT' // too many redirects (or a loop)
  | 'NET_REDIRECT_DOWNGRADE' // https → http, or to another scheme
  | 'NET_NOT_FOUND' // 404, or a missing file: URL
  | 'NET_ABORTED' // the caller's AbortSignal fired

/** Failures of the loopback host and the API boundary. */
export type ApiErrorCode =
  'API_BAD_ARGUMENT' | 'API_UNKNOWN_METHOD' | 'API_UNKNOWN_ID' | 'API_FORBIDDEN' | 'API_INTERNAL'

/** Every code the engine can return. Areas add their unions here. */
export type ErrorCode = NetErrorCode | ApiErrorCode | (string & {})

/** Shortcut to an exhaustive switch. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`)
}
