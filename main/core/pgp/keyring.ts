/**
 * Pinned OpenPGP public keys (DESIGN.md, trust model point 1).
 *
 * A key is trusted only because its full primary-key fingerprint is pinned here with a role; key IDs are used
 * solely to find candidate keys for a signature, never to decide trust (a 64-bit key ID can be forged cheaply).
 */
import { config as openpgpConfig, enums, readKeys } from 'openpgp'
import type { AlgorithmInfo, PublicKey } from 'openpgp'
import { Limits } from '../limits'
import type { KeyRole, PinnedKeyConfig } from '../model'
import { pgpError } from './errors'

/** A key pinned by full fingerprint, with the role it is trusted for. */
export type PinnedKey = PinnedKeyConfig

/** A pinned key as loaded: the openpgp.js key object and what was learned about it. */
export interface LoadedKey extends PinnedKey {
  /** The parsed public key; verification uses only this object (keys are read once, then reused). */
  readonly key: PublicKey
  /** Upper-case 16-hex key IDs of the primary key and every subkey (lookup only, never trust). */
  readonly keyIds: readonly string[]
  /** Primary user ID as written in the key, e.g. "Ubuntu Archive Automatic Signing Key (2018) <ftpmaster@ubuntu.com>". */
  readonly userId: string
  /** Primary key creation time, epoch ms. */
  readonly created: number
  /** Primary key algorithm and size, e.g. "rsaEncryptSign 4096" or "eddsaLegacy ed25519Legacy". */
  readonly algorithm: string
}

/** One key file to load. */
export interface KeyringEntry {
  /** Armored text, or binary / armored bytes. */
  readonly data: Uint8Array | string
  readonly role: KeyRole
  readonly name: string
  /**
   * The pinned fingerprint(s). When given, the file must hold exactly these primary keys, otherwise
   * PGP_FINGERPRINT_MISMATCH. When absent, every key in the file is pinned as found (an explicit `--keyring FILE`,
   * like `gpgv --keyring`).
   */
  readonly fingerprint?: string | readonly string[] | undefined
}

/** A set of pinned keys. Immutable; build a new one to add or remove keys. */
export interface Keyring {
  readonly keys: readonly LoadedKey[]
  /** Keys pinned for `role`. */
  byRole(role: KeyRole): readonly LoadedKey[]
  /** Pinned keys (of any role) whose primary key or a subkey has this 16-hex key ID. */
  byKeyId(keyId: string): readonly LoadedKey[]
  /** The pinned key with this primary fingerprint and role, if any. */
  byFingerprint(fingerprint: string, role?: KeyRole): LoadedKey | undefined
}

const ARMOR_PREFIX = '-----BEGIN PGP '

/**
 * Normalises a fingerprint to upper-case hex without spaces.
 *
 * Throws PGP_MALFORMED unless it is 40 (v4, RFC 9580 5.5.4.2) or 64 (v6, 5.5.4.3) hex digits: key IDs and short
 * fingerprints are refused, since pinning must be by full fingerprint (CONVENTIONS 3).
 */
export function normalizeFingerprint(fingerprint: string): string {
  const fpr = fingerprint.replace(/\s+/g, '').toUpperCase()
  if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(fpr)) {
    throw pgpError(
      'PGP_MALFORMED',
      `not a full OpenPGP fingerprint: ${JSON.stringify(fingerprint.slice(0, 80))}`,
    )
  }
  return fpr
}

/** Describes an algorithm for messages, e.g. "rsaEncryptSign 4096". */
function describeAlgorithm(info: { algorithm: string; bits?: number; curve?: string }): string {
  return [info.algorithm, info.bits ?? info.curve].filter((x) => x !== undefined).join(' ')
}

/**
 * Why a key packet is too weak to be trusted, or undefined when it is acceptable.
 *
 * Uses openpgp.js's own reject sets (config.rejectPublicKeyAlgorithms: DSA, ElGamal; config.minRSABits: 2047;
 * config.rejectCurves) so that loading and verification never disagree.
 */
export function weakKeyReason(info: AlgorithmInfo): string | undefined {
  const algo = enums.publicKey[info.algorithm]
  if (openpgpConfig.rejectPublicKeyAlgorithms.has(algo)) return `${info.algorithm} keys are refused`
  const isRsa =
    algo === enums.publicKey.rsaEncryptSign ||
    algo === enums.publicKey.rsaSign ||
    algo === enums.publicKey.rsaEncrypt
  if (isRsa && (info.bits ?? 0) < openpgpConfig.minRSABits) {
    return `RSA keys under ${openpgpConfig.minRSABits} bits are refused (this one has ${info.bits ?? 0})`
  }
  if (info.curve !== undefined && openpgpConfig.rejectCurves.has(enums.curve[info.curve])) {
    return `curve ${info.curve} is refused`
  }
  return undefined
}

/** Reads every public key in one entry; PGP_MALFORMED on anything that is not a public key block. */
async function readEntryKeys(entry: KeyringEntry): Promise<PublicKey[]> {
  const size = typeof entry.data === 'string' ? entry.data.length : entry.data.byteLength
  if (size > Limits.size.keyBytes) {
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" is larger than ${Limits.size.keyBytes} bytes`, {
      name: entry.name,
      bytes: size,
    })
  }
  let keys: PublicKey[]
  try {
    let armored: string | undefined
    if (typeof entry.data === 'string') armored = entry.data
    else {
      // Armored files (.asc) are text; binary keyrings (.gpg) start with a packet tag byte (high bit set).
      const head = new TextDecoder('utf-8', { fatal: false }).decode(entry.data.subarray(0, 64)).trimStart()
      if (head.startsWith(ARMOR_PREFIX))
        armored = new TextDecoder('utf-8', { fatal: true }).decode(entry.data)
    }
    keys =
      armored !== undefined
        ? await readKeys({ armoredKeys: armored })
        : await readKeys({ binaryKeys: entry.data as Uint8Array })
  } catch (e) {
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" holds no readable OpenPGP public key`, {
      name: entry.name,
      cause: e instanceof Error ? e.message.slice(0, 200) : String(e),
    })
  }
  if (keys.length === 0)
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" holds no key`, { name: entry.name })
  if (keys.length > Limits.pgp.maxKeysPerFile) {
    throw pgpError(
      'PGP_MALFORMED',
      `key file "${entry.name}" holds more than ${Limits.pgp.maxKeysPerFile} keys`,
    )
  }
  for (const key of keys) {
    // A keyring is public material; secret key material here means someone shipped the wrong file.
    if (key.isPrivate()) {
      throw pgpError(
        'PGP_MALFORMED',
        `key file "${entry.name}" contains secret key material; ship public keys only`,
        {
          name: entry.name,
        },
      )
    }
  }
  return keys
}

/** Builds the LoadedKey for one parsed key, refusing weak primary keys (PGP_WEAK_KEY). */
function toLoadedKey(key: PublicKey, entry: KeyringEntry): LoadedKey {
  const fingerprint = key.getFingerprint().toUpperCase()
  const info = key.getAlgorithmInfo()
  const weak = weakKeyReason(info)
  if (weak !== undefined) {
    throw pgpError('PGP_WEAK_KEY', `key ${fingerprint} in "${entry.name}" is too weak: ${weak}`, {
      fingerprint,
      name: entry.name,
      algorithm: describeAlgorithm(info),
    })
  }
  return {
    fingerprint,
    role: entry.role,
    name: entry.name,
    key,
    keyIds: key.getKeyIDs().map((id) => id.toHex().toUpperCase()),
    userId: key.getUserIDs()[0] ?? '',
    created: key.getCreationTime().getTime(),
    algorithm: describeAlgorithm(info),
  }
}

/** Builds an immutable keyring with its lookup indexes. Exported for tests and for merging loaded rings. */
export function createKeyring(keys: readonly LoadedKey[]): Keyring {
  const unique: LoadedKey[] = []
  const seen = new Set<string>()
  for (const k of keys) {
    // The same key may be pinned for both roles (a helpdesk key), but only once per role.
    const id = `${k.role}:${k.fingerprint}`
    if (seen.has(id)) continue
    seen.add(id)
    unique.push(k)
  }
  const byKeyId = new Map<string, LoadedKey[]>()
  for (const k of unique) {
    for (const id of k.keyIds) {
      const list = byKeyId.get(id)
      if (list) list.push(k)
      else byKeyId.set(id, [k])
    }
  }
  const frozen = Object.freeze(unique)
  return {
    keys: frozen,
    byRole: (role) => frozen.filter((k) => k.role === role),
    byKeyId: (keyId) => byKeyId.get(keyId.toUpperCase()) ?? [],
    byFingerprint: (fingerprint, role) => {
      const fpr = fingerprint.replace(/\s+/g, '').toUpperCase()
      return frozen.find((k) => k.fingerprint === fpr && (role === undefined || k.role === role))
    },
  }
}

/**
 * Loads and pins public keys.
 *
 * Each entry's data may hold one or several keys (a Debian keyring holds nine). With `fingerprint` given, the
 * entry must hold exactly those primary keys: an extra or missing key fails with PGP_FINGERPRINT_MISMATCH, so a
 * replaced key file is noticed rather than trusted. Weak primary keys fail with PGP_WEAK_KEY; anything unreadable
 * with PGP_MALFORMED.
 */
export async function loadKeyring(entries: readonly KeyringEntry[]): Promise<Keyring> {
  const loaded: LoadedKey[] = []
  for (const entry of entries) {
    const keys = await readEntryKeys(entry)
    if (entry.fingerprint !== undefined) {
      const list = typeof entry.fingerprint === 'string' ? [entry.fingerprint] : entry.fingerprint
      const pinned = new Set(list.map(normalizeFingerprint))
      const found = keys.map((k) => k.getFingerprint().toUpperCase())
      const extra = found.filter((f) => !pinned.has(f))
      const missing = [...pinned].filter((f) => !found.includes(f))
      if (extra.length > 0 || missing.length > 0) {
        throw pgpError(
          'PGP_FINGERPRINT_MISMATCH',
          `key file "${entry.name}" does not hold the pinned key(s): ` +
            `found ${found.join(', ')}; expected ${[...pinned].join(', ')}`,
          { name: entry.name, found: found.join(','), expected: [...pinned].join(',') },
        )
      }
    }
    for (const key of keys) loaded.push(toLoadedKey(key, entry))
  }
  return createKeyring(loaded)
}

/** Joins keyrings (e.g. the built-in one and a policy's extra keys). */
export function mergeKeyrings(...rings: readonly Keyring[]): Keyring {
  return createKeyring(rings.flatMap((r) => r.keys))
}
