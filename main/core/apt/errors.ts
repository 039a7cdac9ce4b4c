/**
 * Error codes of the apt metadata layer (versions, deb822 parsing, Release checks, indexes, source evidence).
 *
 * Parsers in `main/core/apt` throw only `CoreError<AptErrorCode>` on bad input (or `NET_TOO_LARGE` from a
 * `Decompressor`), so callers can map every failure to a mirror status without string matching. The codes and what
 * each means are the `APT_ERRORS` table of `main/core/error-codes.ts`.
 */
import type { AptErrorCode } from '../error-codes'
import { CoreError, type ErrorDetails } from '../errors'

export type { AptErrorCode } from '../error-codes'

/** Builds a coded apt error. */
export function aptError(
  code: AptErrorCode,
  message: string,
  details: ErrorDetails = {},
): CoreError<AptErrorCode> {
  return new CoreError(code, message, details)
}
