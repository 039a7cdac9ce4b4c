/**
 * Error codes of the OpenPGP trust core (pinned keys, clearsigned and detached signatures).
 *
 * Everything in `main/core/pgp` throws only `CoreError<PgpErrorCode>` on bad input, so callers (the apt layer, the
 * advisory channels, the instruction checker) map failures to statuses without reading messages. The codes and what
 * each means are the `PGP_ERRORS` table of `main/core/error-codes.ts`.
 */
import type { PgpErrorCode } from '../error-codes'
import { CoreError, type ErrorDetails } from '../errors'

export type { PgpErrorCode } from '../error-codes'

/** Builds a coded OpenPGP error. */
export function pgpError(
  code: PgpErrorCode,
  message: string,
  details: ErrorDetails = {},
): CoreError<PgpErrorCode> {
  return new CoreError(code, message, details)
}
