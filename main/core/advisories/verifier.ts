/**
 * The clearsigned-document verifier the advisory channels depend on, as a port.
 *
 * The signed feed and the mbox channel never touch keys themselves: they get a `CleartextVerifier` that checks a
 * clearsigned text against the pinned keys of the `advisory` role (docs/trust.md, "1. Pinned keys") and
 * returns only the signed text (docs/trust.md, "Only signed text is shown as signed"). `main/core/pgp/verify.ts` provides the production one.
 */
import type { Keyring } from '../pgp/keyring'
import { verifyCleartext } from '../pgp/verify'

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
export type CleartextVerifier = (
  text: string,
  opts: { readonly now: number },
) => Promise<CleartextVerification>

/** The production verifier: `verifyCleartext` against the keyring's pinned keys of the `advisory` role. */
export function advisoryVerifier(keyring: Keyring): CleartextVerifier {
  return (text, opts) => verifyCleartext(text, keyring, { role: 'advisory', now: opts.now })
}

/** How a channel reader is told which keys to trust: a keyring (advisory role) or a verifier port. */
export type VerifierInput = { readonly keyring: Keyring } | { readonly verify: CleartextVerifier }

/** The verifier of a `VerifierInput`. */
export function verifierOf(input: VerifierInput): CleartextVerifier {
  return 'keyring' in input ? advisoryVerifier(input.keyring) : input.verify
}
