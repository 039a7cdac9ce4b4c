/**
 * Error codes of the apt metadata layer (versions, deb822 parsing, Release checks, indexes, source evidence).
 *
 * Parsers in `main/core/apt` throw only `CoreError<AptErrorCode>` on bad input (or `NET_TOO_LARGE` from a
 * `Decompressor`), so callers can map every failure to a mirror status without string matching.
 */
import { CoreError } from '../errors'

/** Every failure the apt layer reports. */
export type AptErrorCode =
  | 'APT_BAD_VERSION' // not a valid Debian version (Debian Policy 5.6.12)
  | 'APT_PARSE' // malformed deb822 / control data (Debian Policy 5.1), with a line number
  | 'APT_MISSING_FIELD' // a required field is absent from a stanza
  | 'APT_BAD_FIELD' // a field is present but its value is malformed (size, hash, yes/no)
  | 'APT_BAD_DATE' // a Date / Valid-Until not in the RFC 2822 form apt writes
  | 'APT_FROZEN' // Valid-Until has passed (Debian repository format, "Valid-Until")
  | 'APT_DATE_IN_FUTURE' // Release Date is later than now + clock skew
  | 'APT_WRONG_SUITE' // the Release is not for the pocket asked for (release.ts releaseMatchesSuite)
  | 'APT_UNSIGNED_TEXT' // an InRelease with text before its signed block or after its signature
  | 'APT_ROLLBACK' // Release Date older than the high-water mark for this mirror and suite
  | 'APT_STALE' // Release older than the maximum age for its suite
  | 'APT_NOT_IN_RELEASE' // the index (or source file) is not listed with a SHA256
  | 'APT_SIZE_MISMATCH' // downloaded size differs from the signed size
  | 'APT_HASH_MISMATCH' // downloaded SHA256 differs from the signed hash
  | 'APT_TOO_LARGE' // a member or document over its cap (limits.ts)
  | 'APT_STATE_CAP' // a verified index whose compact form is over Limits.size.compactIndexBytes: not kept
  | 'APT_CORRUPT_COMPRESSION' // xz / gzip stream could not be decoded
  | 'APT_BAD_TAR' // malformed tar archive
  | 'APT_TAR_MEMBER_NOT_FOUND' // the requested member is not in the archive (or is not a regular file)
  | 'APT_BAD_CHANGELOG' // debian/changelog does not start with a valid entry header

/** Builds a coded apt error. */
export function aptError(
  code: AptErrorCode,
  message: string,
  details: Readonly<Record<string, string | number | boolean | null>> = {},
): CoreError<AptErrorCode> {
  return new CoreError(code, message, details)
}
