/**
 * Signature verification against pinned keys (docs/trust.md, "Pinned keys" and "Only signed text is shown as signed").
 *
 * Policy, in order, for each signature packet of a document:
 *  1. Its issuer (key ID, and issuer fingerprint when the packet carries one) must belong to a pinned key of the
 *     requested role. Signatures by unknown keys are ignored; by a pinned key of another role, remembered only to
 *     explain a failure (PGP_WRONG_ROLE).
 *  2. It must not be created after `now` + clock skew, nor use MD5/SHA-1/RIPEMD-160, nor come from a weak key.
 *  3. The pinned primary key and the signing (sub)key must be valid at `now`: not expired, not revoked. openpgp.js
 *     alone checks the key at the signature's creation time, which would accept a key revoked after signing.
 *  4. openpgp.js verifies the bytes, with its reject sets kept and `date` injected.
 * At least one signature must pass every step. A signature by a pinned key of the role whose bytes do not match
 * (step 4) fails the whole document with PGP_BAD_SIGNATURE: the document was altered after signing.
 */
import {
  config as openpgpConfig,
  createMessage,
  enums,
  PacketList,
  readSignature,
  Signature,
  SignaturePacket,
  verify,
} from 'openpgp'
import type { Key, Subkey } from 'openpgp'
import { Limits } from '../limits'
import type { KeyRole } from '../model'
import { HASH_HEADER_IDS, splitCleartext } from './cleartext'
import { pgpError } from './errors'
import type { PgpErrorCode } from './errors'
import { weakKeyReason } from './keyring'
import type { Keyring, LoadedKey } from './keyring'

/** Options shared by every verification. */
export interface VerifyOptions {
  /** The role the signing key must be pinned for. */
  readonly role: KeyRole
  /** Reference time, epoch ms (tuf-js `referenceTime`): key expiry and revocation are judged at this instant. */
  readonly now: number
  /** Allowed clock skew for a signature made "in the future"; default Limits.time.clockSkewMs. */
  readonly clockSkewMs?: number | undefined
}

/** One accepted signature. */
export interface Signer {
  /** Full fingerprint of the pinned primary key (upper-case hex). */
  readonly fingerprint: string
  /** Key ID (upper-case, 16 hex) of the key that made the signature: the primary key or one of its subkeys. */
  readonly signingKeyId: string
  /** Full fingerprint of that signing (sub)key. */
  readonly signingKeyFingerprint: string
  /** Signature creation time, epoch ms. */
  readonly created: number
  readonly role: KeyRole
  /** The pinned key's name. */
  readonly name: string
  /** Hash algorithm of the signature, e.g. "SHA512". */
  readonly hash: string
}

/** A verified clearsigned document. Only `signedText` is signed. */
export interface VerifiedText {
  /** The text openpgp.js verified, with LF line endings and trailing whitespace removed (RFC 9580 7.2). */
  readonly signedText: string
  /** Every accepted signature (at least one). */
  readonly signers: readonly Signer[]
  /** Text before the BEGIN PGP SIGNED MESSAGE line: NOT signed. */
  readonly unsignedBefore: string
  /** Text after the END PGP SIGNATURE line: NOT signed. */
  readonly unsignedAfter: string
}

/** A verified detached signature (e.g. Release + Release.gpg). */
export interface VerifiedDetached {
  /** The bytes openpgp.js verified. */
  readonly signedBytes: Uint8Array
  readonly signers: readonly Signer[]
}

/** Outcome of one candidate signature. */
type Check =
  | { readonly ok: true; readonly signer: Signer; readonly data: Uint8Array }
  | { readonly ok: false; readonly code: PgpErrorCode; readonly message: string; readonly fatal: boolean }

/** Most specific first: which failure explains a document with no valid signature. */
const FAILURE_ORDER: readonly PgpErrorCode[] = [
  'PGP_BAD_SIGNATURE',
  'PGP_KEY_REVOKED',
  'PGP_KEY_EXPIRED',
  'PGP_SIGNATURE_EXPIRED',
  'PGP_WEAK_KEY',
  'PGP_WEAK_HASH',
  'PGP_NOT_YET_VALID',
]

/** Upper-case hex of bytes. */
function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s.toUpperCase()
}

/** Name of a hash algorithm ID, e.g. 10 → "SHA512". */
function hashName(id: number | null): string {
  try {
    return id === null ? 'none' : enums.read(enums.hash, id).toUpperCase()
  } catch {
    return `hash-${id}`
  }
}

/** Maps an openpgp.js key-validity error to our code (the library reports these only as messages). */
function classifyKeyError(message: string): PgpErrorCode {
  if (/revoked/i.test(message)) return 'PGP_KEY_REVOKED'
  // openpgp.js: "Signature is expired" (the signature's own expiration time), not the key's.
  if (/signature is expired/i.test(message)) return 'PGP_SIGNATURE_EXPIRED'
  if (/expired/i.test(message)) return 'PGP_KEY_EXPIRED'
  if (/too weak/i.test(message)) return 'PGP_WEAK_KEY'
  if (/hash algorithm/i.test(message)) return 'PGP_WEAK_HASH'
  if (/in the future/i.test(message)) return 'PGP_NOT_YET_VALID'
  return 'PGP_BAD_SIGNATURE'
}

/** Reads an armored or binary signature block into its signature packets; PGP_MALFORMED / PGP_NO_SIGNATURE. */
async function readSignaturePackets(sig: Uint8Array | string): Promise<SignaturePacket[]> {
  const size = typeof sig === 'string' ? sig.length : sig.byteLength
  if (size > Limits.size.signatureBytes) {
    throw pgpError('PGP_MALFORMED', `signature is larger than ${Limits.size.signatureBytes} bytes`, {
      bytes: size,
    })
  }
  let parsed: Signature
  try {
    let armored: string | undefined = typeof sig === 'string' ? sig : undefined
    if (armored === undefined && sig instanceof Uint8Array) {
      const head = new TextDecoder().decode(sig.subarray(0, 64)).trimStart()
      if (head.startsWith('-----BEGIN PGP SIGNATURE-----')) armored = new TextDecoder().decode(sig)
    }
    parsed =
      armored !== undefined
        ? await readSignature({ armoredSignature: armored })
        : await readSignature({ binarySignature: sig as Uint8Array })
  } catch (e) {
    throw pgpError('PGP_MALFORMED', 'unreadable OpenPGP signature block', {
      cause: e instanceof Error ? e.message.slice(0, 200) : String(e),
    })
  }
  const packets = parsed.packets.filter((p): p is SignaturePacket => p instanceof SignaturePacket)
  if (packets.length < parsed.packets.length) {
    // openpgp.js keeps packets it cannot parse as UnparseablePacket; in a signature block that is corruption.
    throw pgpError('PGP_MALFORMED', 'the signature block holds packets that are not readable signatures')
  }
  if (packets.length === 0)
    throw pgpError('PGP_NO_SIGNATURE', 'the signature block holds no signature packet')
  if (packets.length > Limits.pgp.maxSignaturesPerDocument) {
    throw pgpError(
      'PGP_MALFORMED',
      `more than ${Limits.pgp.maxSignaturesPerDocument} signatures on one document`,
      {
        count: packets.length,
      },
    )
  }
  return packets
}

/** The pinned keys (any role) whose key matching this packet's issuer is really the issuer. */
function issuersOf(
  packet: SignaturePacket,
  keyring: Keyring,
): { loaded: LoadedKey; signingKey: Key | Subkey }[] {
  const keyId = packet.issuerKeyID.toHex().toUpperCase()
  const issuerFpr = packet.issuerFingerprint ? toHex(packet.issuerFingerprint) : undefined
  const out: { loaded: LoadedKey; signingKey: Key | Subkey }[] = []
  for (const loaded of keyring.byKeyId(keyId)) {
    for (const k of loaded.key.getKeys(packet.issuerKeyID)) {
      // RFC 9580 5.2.3.35: when the Issuer Fingerprint is present it names the key; a key-ID-only match with a
      // different fingerprint is a colliding key, not ours.
      if (issuerFpr !== undefined && k.getFingerprint().toUpperCase() !== issuerFpr) continue
      out.push({ loaded, signingKey: k })
    }
  }
  return out
}

/** Runs policy steps 2–4 for one signature packet by a pinned key of the requested role. */
async function checkCandidate(
  packet: SignaturePacket,
  loaded: LoadedKey,
  signingKey: Key | Subkey,
  data: Uint8Array,
  opts: VerifyOptions,
): Promise<Check> {
  const fail = (code: PgpErrorCode, message: string, fatal = false): Check => ({
    ok: false,
    code,
    message,
    fatal,
  })
  const who = `key ${loaded.fingerprint} (${loaded.name})`
  const created = packet.created?.getTime()
  if (created === undefined || Number.isNaN(created)) {
    return fail('PGP_BAD_SIGNATURE', `signature by ${who} has no creation time`, true)
  }
  const skew = opts.clockSkewMs ?? Limits.time.clockSkewMs
  if (created > opts.now + skew) {
    return fail(
      'PGP_NOT_YET_VALID',
      `signature by ${who} is dated ${new Date(created).toISOString()}, in the future`,
    )
  }
  const expires = packet.getExpirationTime()
  if (expires instanceof Date && opts.now >= expires.getTime()) {
    // The signer said how long this signature may be relied on (RFC 9580 5.2.3.18); the key may well be valid.
    return fail(
      'PGP_SIGNATURE_EXPIRED',
      `signature by ${who} expired at ${expires.toISOString()} (made ${new Date(created).toISOString()})`,
    )
  }
  if (packet.signatureType !== enums.signature.binary && packet.signatureType !== enums.signature.text) {
    // A certification or key-binding signature copied next to a document does not cover the document.
    return fail('PGP_BAD_SIGNATURE', `signature by ${who} is not a document signature`, true)
  }
  const hashId = packet.hashAlgorithm
  if (
    hashId === null ||
    openpgpConfig.rejectMessageHashAlgorithms.has(hashId) ||
    openpgpConfig.rejectHashAlgorithms.has(hashId)
  ) {
    return fail(
      'PGP_WEAK_HASH',
      `signature by ${who} uses ${hashName(hashId)}, which is refused (collisions are practical)`,
    )
  }
  const weak = weakKeyReason(signingKey.getAlgorithmInfo())
  if (weak !== undefined) return fail('PGP_WEAK_KEY', `signing key of ${who} is too weak: ${weak}`)

  // Step 3: validity of the primary key and the signing subkey at `now` (expiry, revocation, binding, key flags).
  const nowDate = new Date(opts.now)
  try {
    await loaded.key.getSigningKey(packet.issuerKeyID, nowDate)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const code = classifyKeyError(msg)
    return fail(code, `${who} cannot sign at ${nowDate.toISOString()}: ${msg}`)
  }

  // Step 4: the bytes. A signature inside the skew window is checked at its own creation time.
  try {
    const result = await verifySignaturePacket(packet, loaded, data, new Date(Math.max(opts.now, created)))
    return {
      ok: true,
      data: result,
      signer: {
        fingerprint: loaded.fingerprint,
        signingKeyId: packet.issuerKeyID.toHex().toUpperCase(),
        signingKeyFingerprint: signingKey.getFingerprint().toUpperCase(),
        created,
        role: loaded.role,
        name: loaded.name,
        hash: hashName(hashId),
      },
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const code = classifyKeyError(msg)
    // Anything we cannot name is treated as a bad signature by a pinned key: fail closed.
    return fail(code, `signature by ${who} does not verify: ${msg}`, code === 'PGP_BAD_SIGNATURE')
  }
}

/** openpgp.js verification of one packet over `data`; resolves with the bytes it verified, or throws its error. */
async function verifySignaturePacket(
  packet: SignaturePacket,
  loaded: LoadedKey,
  data: Uint8Array,
  date: Date,
): Promise<Uint8Array> {
  const list = new PacketList<SignaturePacket>()
  list.push(packet)
  const message = await createMessage({ binary: data })
  const result = await verify({
    message,
    signature: new Signature(list),
    verificationKeys: [loaded.key],
    date,
    format: 'binary',
    expectSigned: false,
  })
  const first = result.signatures[0]
  if (!first) throw new Error('openpgp returned no verification result')
  await first.verified
  return result.data
}

/** Applies the whole policy to a document's signature packets; returns the verified bytes and signers. */
async function verifyPackets(
  packets: readonly SignaturePacket[],
  data: Uint8Array,
  keyring: Keyring,
  opts: VerifyOptions,
): Promise<{ data: Uint8Array; signers: Signer[] }> {
  const failures: Check[] = []
  const signers: Signer[] = []
  let verifiedData: Uint8Array | undefined
  const otherRoles = new Set<string>()
  for (const packet of packets) {
    const issuers = issuersOf(packet, keyring)
    const mine = issuers.filter((i) => i.loaded.role === opts.role)
    for (const i of issuers)
      if (i.loaded.role !== opts.role) otherRoles.add(`${i.loaded.fingerprint} (${i.loaded.role})`)
    for (const { loaded, signingKey } of mine) {
      const check = await checkCandidate(packet, loaded, signingKey, data, opts)
      if (check.ok) {
        signers.push(check.signer)
        verifiedData ??= check.data
      } else failures.push(check)
    }
  }
  const fatal = failures.find((f) => !f.ok && f.fatal)
  if (fatal && !fatal.ok) throw pgpError(fatal.code, fatal.message)
  if (verifiedData !== undefined && signers.length > 0) return { data: verifiedData, signers }
  for (const code of FAILURE_ORDER) {
    const f = failures.find((x) => !x.ok && x.code === code)
    if (f && !f.ok) throw pgpError(f.code, f.message)
  }
  if (otherRoles.size > 0) {
    throw pgpError(
      'PGP_WRONG_ROLE',
      `signed only by key(s) pinned for another role: ${[...otherRoles].join(', ')}; "${opts.role}" is required`,
    )
  }
  const ids = packets.map((p) => p.issuerKeyID.toHex().toUpperCase())
  throw pgpError(
    'PGP_UNKNOWN_SIGNER',
    `no signature by a pinned "${opts.role}" key (signed by ${ids.join(', ')})`,
    {
      keyIds: ids.join(','),
    },
  )
}

/**
 * Verifies a clearsigned document (InRelease, an announcement email, a signed feed index).
 *
 * Returns only the text openpgp.js verified; text before and after the signed block is returned separately as
 * unsigned and must never be shown as verified (docs/trust.md). Throws `CoreError<PgpErrorCode>`.
 */
export async function verifyCleartext(
  text: string,
  keyring: Keyring,
  opts: VerifyOptions,
): Promise<VerifiedText> {
  const parts = splitCleartext(text)
  const packets = await readSignaturePackets(parts.signatureArmor)
  if (packets.some((p) => p.signatureType !== enums.signature.text)) {
    // RFC 9580 7: a cleartext signature is a canonical-text signature (type 0x01). A binary signature over the same
    // CR LF bytes would verify too, so one made for another purpose (a detached file signature) could be framed
    // as a clearsigned document. Refused whoever made it.
    throw pgpError('PGP_MALFORMED', 'a clearsigned document carries a signature that is not a text signature')
  }
  if (parts.hashHeaders.length > 0) {
    // RFC 9580 7.1: the Hash header lists the digest algorithms used; a mismatch means the armor was tampered with.
    const allowed = new Set(parts.hashHeaders.map((h) => HASH_HEADER_IDS[h]))
    const bad = packets.find((p) => p.hashAlgorithm === null || !allowed.has(p.hashAlgorithm))
    if (bad) throw pgpError('PGP_MALFORMED', `"Hash" header does not list ${hashName(bad.hashAlgorithm)}`)
  }
  const bytes = new TextEncoder().encode(parts.canonicalText)
  const { data, signers } = await verifyPackets(packets, bytes, keyring, opts)
  // Decode exactly what openpgp verified; the CR LF we inserted become LF again.
  const signedText = new TextDecoder().decode(data).replaceAll('\r\n', '\n')
  return { signedText, signers, unsignedBefore: parts.before, unsignedAfter: parts.after }
}

/**
 * Verifies a detached signature (`Release` + `Release.gpg`, a feed file + its `.sig`).
 *
 * `signature` may be armored text or bytes, or binary packets. Throws `CoreError<PgpErrorCode>`.
 */
export async function verifyDetached(
  data: Uint8Array,
  signature: Uint8Array | string,
  keyring: Keyring,
  opts: VerifyOptions,
): Promise<VerifiedDetached> {
  const packets = await readSignaturePackets(signature)
  if (packets.some((p) => p.signatureType === enums.signature.text) && hasCrLf(data)) {
    // A text-mode signature covers the text with its line endings made CR LF (RFC 9580 5.2.1.2), so it verifies
    // the LF file and its CR LF copy alike, as gpgv does. Accepting it only over data without CR LF leaves exactly
    // one byte sequence that verifies: the one we parse is the one that was signed (docs/trust.md).
    throw pgpError(
      'PGP_BAD_SIGNATURE',
      'a text-mode detached signature over data with CR LF line endings: the line endings may have been changed after signing',
    )
  }
  const result = await verifyPackets(packets, data, keyring, opts)
  return { signedBytes: result.data, signers: result.signers }
}

/** True when `data` holds a CR LF pair. */
function hasCrLf(data: Uint8Array): boolean {
  for (let i = data.indexOf(0x0d); i !== -1 && i < data.length - 1; i = data.indexOf(0x0d, i + 1)) {
    if (data[i + 1] === 0x0a) return true
  }
  return false
}
