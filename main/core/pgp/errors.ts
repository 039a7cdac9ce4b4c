/**
 * Error codes of the OpenPGP trust core (pinned keys, clearsigned and detached signatures).
 *
 * Everything in `main/core/pgp` throws only `CoreError<PgpErrorCode>` on bad input, so callers (the apt layer, the
 * advisory channels, the instruction checker) map failures to statuses without reading messages.
 */
import { CoreError } from '../errors'

/** Every failure the OpenPGP layer reports. */
export type PgpErrorCode =
  | 'PGP_MALFORMED' // not a key / signature / clearsigned document, or over a size cap (RFC 9580 sections 6, 7)
  | 'PGP_NO_SIGNATURE' // a well-formed document that carries no signature packet
  | 'PGP_UNKNOWN_SIGNER' // no signature was made by a pinned key (unknown signers are ignored)
  | 'PGP_BAD_SIGNATURE' // a pinned key's signature does not match the signed bytes: the document is tampered
  | 'PGP_KEY_EXPIRED' // the pinned key or its signing subkey has expired at `now` (RFC 9580 5.2.3.13)
  | 'PGP_SIGNATURE_EXPIRED' // the signature itself has expired at `now` (Signature Expiration Time, RFC 9580 5.2.3.18)
  | 'PGP_KEY_REVOKED' // the pinned key or its signing subkey is revoked (RFC 9580 5.2.3.31)
  | 'PGP_WEAK_KEY' // RSA under 2047 bits, DSA or ElGamal (openpgp.js reject sets)
  | 'PGP_WEAK_HASH' // signature over MD5, SHA-1 or RIPEMD-160 (RFC 9580 9.5: MUST NOT be used for new signatures)
  | 'PGP_WRONG_ROLE' // signed only by a pinned key of another role (an advisory key cannot sign a Release)
  | 'PGP_FINGERPRINT_MISMATCH' // a key file does not hold exactly the pinned fingerprint(s)
  | 'PGP_NOT_YET_VALID' // signature created after `now` + clock skew

/** Builds a coded OpenPGP error. */
export function pgpError(
  code: PgpErrorCode,
  message: string,
  details: Readonly<Record<string, string | number | boolean | null>> = {},
): CoreError<PgpErrorCode> {
  return new CoreError(code, message, details)
}
