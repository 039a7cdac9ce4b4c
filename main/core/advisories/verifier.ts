/**
 * The clearsigned-document verifier the advisory channels depend on, as a port.
 *
 * The signed feed and the mbox channel never touch keys themselves: they get a `CleartextVerifier` that checks a
 * clearsigned text against the pinned keys of the `advisory` role (DESIGN.md, trust model point 1) and returns
 * only the signed text (point 6). `main/core/pgp/verify.ts` provides the production one.
 */

/** The result of a successful clearsigned verification. */
export interface CleartextVerification {
  /** The text inside the verified block: the only text that may be parsed or shown as signed. */
  readonly signedText: string
  /** Pinned advisory keys that made a valid signature (at least one). */
  readonly signers: readonly { readonly fingerprint: string }[]
  /** Text before `-----BEGIN PGP SIGNED MESSAGE-----` (unsigned). */
  readonly unsignedBefore: string
  /** Text after `-----END PGP SIGNATURE-----` (unsigned). */
  readonly unsignedAfter: string
}

/**
 * Verifies a clearsigned text at time `now` for the `advisory` role; throws a CoreError (PGP_BAD_SIGNATURE,
 * PGP_UNKNOWN_SIGNER, PGP_KEY_EXPIRED, ...) when no pinned advisory key made a valid signature.
 */
export type CleartextVerifier = (text: string, opts: { readonly now: number }) => Promise<CleartextVerification>
