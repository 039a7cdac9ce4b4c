/**
 * Coded errors of the engine (sigstore `BaseError<Code>` style).
 *
 * Every expected failure carries a stable `code` that tests assert on and the UI maps to plain words. The codes, a
 * table per area with what each means, are in `error-codes.ts`; `ErrorCode` is their union, so a CoreError cannot
 * carry a code that is not listed there.
 */
import type { ErrorCode } from './error-codes'

export type { ApiErrorCode, ErrorCode, NetErrorCode } from './error-codes'

/** The details of a coded error: which file, field or value, as plain JSON-safe values. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>

/** An expected failure with a code from `error-codes.ts` and the details that say where and why. */
export class CoreError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'CoreError'
  constructor(
    readonly code: C,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message)
  }
}

/** True when `e` is a CoreError, optionally with the given code. */
export function isCoreError(e: unknown, code?: ErrorCode): e is CoreError {
  return e instanceof CoreError && (code === undefined || e.code === code)
}

/** Shortcut to an exhaustive switch. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`)
}
