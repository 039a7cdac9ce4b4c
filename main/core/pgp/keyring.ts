/**
 * Pinned OpenPGP public keys (docs/trust.md, "Pinned keys").
 *
 * A key is trusted only because its full primary-key fingerprint is pinned here with a role; key IDs are used
 * solely to find candidate keys for a signature, never to decide trust (a 64-bit key ID can be forged cheaply).
 */
import { config as openpgpConfig, enums, readKeys, unarmor } from 'openpgp'
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
 * fingerprints are refused, since pinning must be by full fingerprint (docs/trust.md, "Pinned keys").
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

/** An armored block of a key file: its type (`PUBLIC KEY BLOCK`) and its text from BEGIN to END line. */
interface ArmorBlock {
  readonly type: string
  readonly text: string
}

const ARMOR_LINE = /^-----(BEGIN|END) PGP ([^\r\n-]+)-----[ \t\r]*$/gm

/** The refusal of a key file that holds secret key material anywhere. */
function secretMaterial(name: string, where: string): Error {
  // A keyring is public material; secret key material here means someone shipped the wrong file.
  return pgpError(
    'PGP_MALFORMED',
    `key file "${name}" contains secret key material; ship public keys only (found ${where})`,
    {
      name,
    },
  )
}

/**
 * Cuts an armored key file into its blocks. Every block is read, so `cat a.asc b.asc` keeps both keys and a secret
 * key in a second block is seen. Text outside the blocks (other than whitespace) is refused: a pinned key file must
 * hold exactly what is read from it.
 */
function armorBlocks(raw: string, name: string): ArmorBlock[] {
  // A byte order mark (some Windows editors write one) would hide the first BEGIN line from the line match.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const blocks: ArmorBlock[] = []
  let open: { type: string; start: number } | undefined
  let last = 0
  const malformed = (why: string) => pgpError('PGP_MALFORMED', `key file "${name}": ${why}`, { name })
  for (const m of text.matchAll(ARMOR_LINE)) {
    const line = m[0]
    const type = m[2] ?? ''
    if (m[1] === 'BEGIN') {
      if (/PRIVATE|SECRET/.test(type)) throw secretMaterial(name, `a "${type}" block`)
      if (open) throw malformed(`a "${type}" block starts inside a "${open.type}" block`)
      if (text.slice(last, m.index).trim() !== '') throw malformed('text outside the armored blocks')
      open = { type, start: m.index }
    } else {
      if (!open || open.type !== type) throw malformed(`an END line for "${type}" without its BEGIN line`)
      const why = armorBodyProblem(text.slice(open.start, m.index))
      if (why) throw malformed(`the "${type}" block ${why}`)
      blocks.push({ type, text: text.slice(open.start, m.index + line.length) })
      open = undefined
      last = m.index + line.length
    }
  }
  if (open) throw malformed(`the "${open.type}" block has no END line`)
  if (text.slice(last).trim() !== '') throw malformed('text outside the armored blocks')
  if (blocks.length === 0) throw malformed('no armored block')
  return blocks
}

const BASE64_LINE = /^[A-Za-z0-9+/]+$/
const BASE64_LAST_LINE = /^[A-Za-z0-9+/]+={0,2}$/
const CHECKSUM_LINE = /^=[A-Za-z0-9+/]{4}$/

/**
 * Why the inside of an armored block (BEGIN line to just before END) holds bytes the decoder would skip, or undefined.
 *
 * openpgp.js's `unarmor` stops reading the data at the first line with `=` or `-` and drops what follows the
 * checksum or another `-----…-----` line, so a second key (a secret one, say) written there would sit in the file
 * unread and unchecked. Armor as RFC 9580 6.2 writes it has headers, a blank line, base64 lines (padding only on
 * the last), then an optional `=XXXX` checksum; anything else is refused.
 */
function armorBodyProblem(block: string): string | undefined {
  const lines = block.split('\n').map((l) => l.replace(/[ \t\r]+$/, ''))
  let i = 1
  while (i < lines.length && lines[i] !== '') i++ // armor headers, up to the blank line
  const data = lines.slice(i + 1).filter((l) => l !== '')
  if (data.length > 0 && CHECKSUM_LINE.test(data[data.length - 1] ?? '')) data.pop()
  for (const [k, l] of data.entries()) {
    const ok = k === data.length - 1 ? BASE64_LAST_LINE.test(l) : BASE64_LINE.test(l)
    if (!ok) return 'holds text after its data ends (it would never be read)'
  }
  return undefined
}

/** One packet as framed: its tag, where its body starts and how long the body is (partial lengths summed). */
interface FramedPacket {
  readonly tag: number
  readonly start: number
  readonly length: number
}

/**
 * Frames an OpenPGP packet sequence (RFC 9580 4.2: old and new format headers, partial lengths) without parsing the
 * packets. Stops at bytes it cannot frame: the packets before them are returned, the parser reports the rest.
 */
function framePackets(bytes: Uint8Array): FramedPacket[] {
  const n = bytes.length
  const u32 = (at: number) =>
    at + 3 < n
      ? (((bytes[at] as number) << 24) >>> 0) +
        ((bytes[at + 1] as number) << 16) +
        ((bytes[at + 2] as number) << 8) +
        (bytes[at + 3] as number)
      : -1
  const out: FramedPacket[] = []
  let i = 0
  while (i < n) {
    const b = bytes[i] as number
    if ((b & 0x80) === 0) return out
    const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f
    i++
    let start = -1
    let body = 0
    if (b & 0x40) {
      // New format: one- two- or five-octet lengths, or partial body lengths chained until a definite one.
      for (;;) {
        const o1 = bytes[i]
        if (o1 === undefined) return [...out, { tag, start, length: body }]
        let len: number
        let partial = false
        if (o1 < 192) {
          len = o1
          i += 1
        } else if (o1 < 224) {
          const o2 = bytes[i + 1]
          if (o2 === undefined) return [...out, { tag, start, length: body }]
          len = ((o1 - 192) << 8) + o2 + 192
          i += 2
        } else if (o1 === 255) {
          len = u32(i + 1)
          if (len < 0) return [...out, { tag, start, length: body }]
          i += 5
        } else {
          len = 1 << (o1 & 0x1f)
          partial = true
          i += 1
        }
        if (start < 0) start = i
        i += len
        body += len
        if (!partial) break
      }
    } else {
      const lengthType = b & 0x03
      let len: number
      if (lengthType === 0) {
        len = bytes[i] ?? -1
        i += 1
      } else if (lengthType === 1) {
        len = i + 1 < n ? ((bytes[i] as number) << 8) + (bytes[i + 1] as number) : -1
        i += 2
      } else if (lengthType === 2) {
        len = u32(i)
        i += 4
      } else len = n - i
      if (len < 0) return [...out, { tag, start, length: 0 }]
      start = i
      i += len
      body = len
    }
    out.push({ tag, start, length: body })
  }
  return out
}

const isSecretKeyPacket = (p: FramedPacket): boolean => p.tag === 5 || p.tag === 7

/**
 * True when an OpenPGP packet sequence holds a Secret-Key (tag 5) or Secret-Subkey (tag 7) packet.
 *
 * Only the packet framing is read (`framePackets`), not the packets, so secret material is found even where
 * openpgp.js would stop at an "unexpected packet". Stops (false) at bytes it cannot frame; the parser then reports
 * those.
 */
export function holdsSecretPacket(bytes: Uint8Array): boolean {
  return framePackets(bytes).some(isSecretKeyPacket)
}

// The packets of a transferable public key (RFC 9580 10.1): public key, public subkey, user ID, user attribute,
// signature. GnuPG's own keyrings add trust packets (tag 12, a few bytes) and files may start with a marker (tag 10,
// "PGP").
const KEY_PACKET_TAGS: ReadonlySet<number> = new Set([2, 6, 13, 14, 17])
const MAX_TRUST_PACKET_BYTES = 16

/**
 * Why a packet sequence holds a packet that is not part of a public key, or undefined.
 *
 * openpgp.js skips packets it does not know and never looks inside trust or marker packets, so anything wrapped in
 * one (a secret key, say) would be shipped in the file unread.
 */
export function foreignPacket(bytes: Uint8Array): string | undefined {
  return foreignPacketIn(framePackets(bytes), bytes)
}

function foreignPacketIn(packets: readonly FramedPacket[], bytes: Uint8Array): string | undefined {
  for (const p of packets) {
    if (KEY_PACKET_TAGS.has(p.tag)) continue
    if (p.tag === 12 && p.length <= MAX_TRUST_PACKET_BYTES) continue
    const marker = new TextDecoder().decode(bytes.subarray(p.start, p.start + p.length))
    if (p.tag === 10 && p.start >= 0 && marker === 'PGP') continue
    return `a packet of type ${p.tag} (${p.length} bytes), which is no part of a public key`
  }
  return undefined
}

/** One binary packet sequence of a key file, and how to name it if it holds a secret key packet. */
interface PacketSequence {
  readonly bytes: Uint8Array
  readonly secretWhere: string
}

function unreadableKeyFile(name: string, e: unknown): Error {
  return pgpError('PGP_MALFORMED', `key file "${name}" holds no readable OpenPGP public key`, {
    name,
    cause: e instanceof Error ? e.message.slice(0, 200) : String(e),
  })
}

/** The entry's text when it is armored (a string, or bytes starting with an armor line), undefined for binary. */
function armoredText(entry: KeyringEntry): string | undefined {
  if (typeof entry.data === 'string') return entry.data
  // Armored files (.asc) are text; binary keyrings (.gpg) start with a packet tag byte (high bit set).
  const head = new TextDecoder('utf-8', { fatal: false }).decode(entry.data.subarray(0, 64)).trimStart()
  if (!head.startsWith(ARMOR_PREFIX)) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(entry.data)
  } catch {
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" is armored but not UTF-8 text`, {
      name: entry.name,
    })
  }
}

/**
 * The entry's packet sequences, one by one: the whole file when binary, each armored block's data otherwise (every
 * block must be a public key block). Lazy, so that a file past the key count stops before its next block.
 */
async function* packetSequences(entry: KeyringEntry): AsyncGenerator<PacketSequence> {
  const armored = armoredText(entry)
  if (armored === undefined) {
    yield { bytes: entry.data as Uint8Array, secretWhere: 'a secret key packet' }
    return
  }
  for (const block of armorBlocks(armored, entry.name)) {
    if (block.type !== 'PUBLIC KEY BLOCK') {
      throw pgpError('PGP_MALFORMED', `key file "${entry.name}" holds a "${block.type}", not a public key`, {
        name: entry.name,
      })
    }
    let bytes: Uint8Array
    try {
      bytes = (await unarmor(block.text)).data as Uint8Array
    } catch (e) {
      throw unreadableKeyFile(entry.name, e)
    }
    yield { bytes, secretWhere: 'a secret key packet in a public key block' }
  }
}

/**
 * Parses one packet sequence as public keys, after one framing pass has shown it holds nothing else: no secret key
 * packet, no packet foreign to a public key.
 */
async function parsePublicPackets(sequence: PacketSequence, name: string): Promise<PublicKey[]> {
  const packets = framePackets(sequence.bytes)
  if (packets.some(isSecretKeyPacket)) throw secretMaterial(name, sequence.secretWhere)
  const foreign = foreignPacketIn(packets, sequence.bytes)
  if (foreign) throw pgpError('PGP_MALFORMED', `key file "${name}" holds ${foreign}`, { name })
  try {
    return await readKeys({ binaryKeys: sequence.bytes })
  } catch (e) {
    throw unreadableKeyFile(name, e)
  }
}

/** Reads every public key in one entry; PGP_MALFORMED on anything that is not public key material. */
async function readEntryKeys(entry: KeyringEntry): Promise<PublicKey[]> {
  const size = typeof entry.data === 'string' ? entry.data.length : entry.data.byteLength
  if (size > Limits.size.keyBytes) {
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" is larger than ${Limits.size.keyBytes} bytes`, {
      name: entry.name,
      bytes: size,
    })
  }
  const keys: PublicKey[] = []
  for await (const sequence of packetSequences(entry)) {
    keys.push(...(await parsePublicPackets(sequence, entry.name)))
    if (keys.length > Limits.pgp.maxKeysPerFile) break
  }
  if (keys.length === 0)
    throw pgpError('PGP_MALFORMED', `key file "${entry.name}" holds no key`, { name: entry.name })
  if (keys.length > Limits.pgp.maxKeysPerFile) {
    throw pgpError(
      'PGP_MALFORMED',
      `key file "${entry.name}" holds more than ${Limits.pgp.maxKeysPerFile} keys`,
    )
  }
  // Defence in depth: whatever the framing said, a key openpgp.js parsed as private is refused too.
  if (keys.some((k) => k.isPrivate())) throw secretMaterial(entry.name, 'a private key')
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
