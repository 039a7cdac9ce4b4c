/**
 * Lifeline's signed advisory feed: reading (verify the index, check freshness and rollback, then each OSV file's
 * size and SHA256 before parsing it) and building (write and clearsign the index).
 *
 * The chain is the apt one (docs/trust.md, "2. Mirrors" and "3. Freshness and rollback"): pinned key → clearsigned index → SHA256 per file.
 * Only the signed text of the index is parsed (docs/trust.md, "Only signed text is shown as signed"); a file is parsed only after its hash matched.
 */
import * as openpgp from 'openpgp'
import { sha256Hex } from '../apt/indexes'
import { mapWithLimit } from '../concurrency'
import { CoreError } from '../errors'
import type { NetErrorCode } from '../errors'
import { Limits } from '../limits'
import type { Fetcher } from '../ports'
import {
  FEED_FORMAT,
  FEED_INDEX_NAME,
  checkFeedIndex,
  formatFeedIndex,
  isSafeFeedPath,
  parseFeedIndex,
  type FeedFileEntry,
  type FeedHighWater,
  type FeedIndex,
} from './feed-index'
import type { Advisory, AdvisoryErrorCode, RecordIssue } from './model'
import { parseOsvUsn } from './osv'
import { decodeText, toIssue } from './parse-util'
import { verifierOf, type VerifierInput } from './verifier'

/** The feed hashes files as apt does its indexes (re-exported: feed tests import it from here). */
export { sha256Hex }

/** The URL of the index for a feed URL: a folder URL gets `index.asc` appended; an `.asc` URL is used as is. */
export function feedIndexUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new CoreError<NetErrorCode>('NET_BAD_URL', `not a URL: ${url}`)
  }
  if (u.pathname.endsWith('.asc')) return u.href
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return new URL(FEED_INDEX_NAME, u).href
}

/** Options of `readSignedFeed`. */
export type ReadSignedFeedOptions = VerifierInput & {
  readonly fetcher: Fetcher
  /** The one reference time of this read. */
  readonly now: number
  /** The high-water mark kept from the last accepted index of this feed (rollback protection). */
  readonly previous?: FeedHighWater | undefined
  /** The configured channel id (provenance, issues). Defaults to the feed name. */
  readonly channelId?: string | undefined
  /** The feed name the index must carry, when configured. */
  readonly feedName?: string | undefined
}

/** A verified feed: its index, the advisories of the files that verified, and the issues of those that did not. */
export interface SignedFeedRead {
  readonly indexUrl: string
  readonly index: FeedIndex
  /** Fingerprint of the pinned advisory key that signed the index. */
  readonly signedBy: string
  readonly advisories: readonly Advisory[]
  readonly issues: readonly RecordIssue[]
  /** The new high-water mark to store once the caller accepts this read. */
  readonly highWater: FeedHighWater
}

/**
 * Reads and verifies a signed feed at `url` (a folder URL or the index URL; `https:`, `http:`, `file:`).
 *
 * Whole-feed failures throw: NET_* (index unreachable), PGP_* (from the verifier), ADV_FEED_UNSIGNED_TEXT,
 * ADV_FEED_SYNTAX, ADV_FEED_VERSION, ADV_FEED_NAME, ADV_FEED_EXPIRED, ADV_FEED_DATE_IN_FUTURE, ADV_FEED_ROLLBACK.
 * A listed file that fails (NET_*, ADV_SIZE_MISMATCH, ADV_HASH_MISMATCH, ADV_SCHEMA...) is an issue and is skipped;
 * the other files, each verified by its own hash, still count.
 */
export async function readSignedFeed(url: string, opts: ReadSignedFeedOptions): Promise<SignedFeedRead> {
  const indexUrl = feedIndexUrl(url)
  const res = await opts.fetcher({
    url: indexUrl,
    maxBytes: Limits.advisories.feedIndexBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    // Integrity comes from the signature and the hash chain, as for apt mirrors (ports.ts, allowHttp).
    allowHttp: true,
  })
  const text = decodeText(res.body, Limits.advisories.feedIndexBytes, indexUrl)
  const verified = await verifierOf(opts)(text, { now: opts.now })
  // apt refuses data outside the signed part of an InRelease (CVE-2019-3462 hardening); so do we.
  if (verified.unsignedBefore.trim() !== '' || verified.unsignedAfter.trim() !== '') {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_UNSIGNED_TEXT',
      'the feed index has text outside its signature',
      {
        before: verified.unsignedBefore.trim().length,
        after: verified.unsignedAfter.trim().length,
      },
    )
  }
  const signer = verified.signers[0]
  if (!signer) throw new CoreError('PGP_BAD_SIGNATURE', 'the verifier returned no signer')
  const index = parseFeedIndex(verified.signedText)
  checkFeedIndex(index, {
    now: opts.now,
    highWaterSerial: opts.previous?.serial,
    highWaterDate: opts.previous?.date,
    feedName: opts.feedName,
  })
  const channelId = opts.channelId ?? index.feed
  const source: FeedFileSource = {
    indexUrl,
    fetcher: opts.fetcher,
    channelId,
    signedBy: signer.fingerprint,
    now: opts.now,
  }
  const results = await mapWithLimit(index.files, Limits.net.concurrency, (entry) =>
    readFeedFile(entry, source),
  )
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  for (const r of results) {
    if ('advisory' in r) advisories.push(r.advisory)
    else issues.push(r.issue)
  }
  return {
    indexUrl,
    index,
    signedBy: signer.fingerprint,
    advisories,
    issues,
    highWater: { serial: index.serial, date: index.date },
  }
}

/** Where the files of one verified index come from, and the provenance their advisories carry. */
interface FeedFileSource {
  readonly indexUrl: string
  readonly fetcher: Fetcher
  readonly channelId: string
  /** Fingerprint of the key that signed the index (each file is vouched for by its hash there). */
  readonly signedBy: string
  readonly now: number
}

async function readFeedFile(
  entry: FeedFileEntry,
  { indexUrl, fetcher, channelId, signedBy, now }: FeedFileSource,
): Promise<{ advisory: Advisory } | { issue: RecordIssue }> {
  const url = new URL(entry.path, indexUrl).href
  try {
    let body: Uint8Array
    try {
      // Cap at the signed size + 1: a longer body is a mismatch, and an endless one stops there.
      body = (
        await fetcher({
          url,
          maxBytes: entry.size + 1,
          timeoutMs: Limits.net.totalTimeoutMs,
          allowHttp: true,
        })
      ).body
    } catch (e) {
      if (e instanceof CoreError && e.code === 'NET_TOO_LARGE') {
        throw new CoreError<AdvisoryErrorCode>('ADV_SIZE_MISMATCH', `${entry.path}: larger than listed`, {
          field: entry.path,
        })
      }
      throw e
    }
    if (body.byteLength !== entry.size) {
      throw new CoreError<AdvisoryErrorCode>(
        'ADV_SIZE_MISMATCH',
        `${entry.path}: ${body.byteLength} bytes, the index lists ${entry.size}`,
        { field: entry.path },
      )
    }
    const hash = await sha256Hex(body)
    if (hash !== entry.sha256) {
      throw new CoreError<AdvisoryErrorCode>(
        'ADV_HASH_MISMATCH',
        `${entry.path}: SHA256 differs from the index`,
        {
          field: entry.path,
        },
      )
    }
    return {
      advisory: parseOsvUsn(body, { channelId, channelType: 'signed-feed', url, fetchedAt: now, signedBy }),
    }
  } catch (e) {
    const record =
      e instanceof CoreError && typeof e.details.record === 'string' ? e.details.record : entry.path
    const issue = toIssue(channelId, record, e)
    return { issue: issue.field === '(root)' ? { ...issue, field: entry.path } : issue }
  }
}

/** Input of `buildSignedFeed`. */
export interface BuildSignedFeedInput {
  readonly feed: string
  readonly description?: string | undefined
  /** OSV files, by path relative to the feed folder (e.g. `osv/USN-7000-1.json`). */
  readonly files: readonly { readonly path: string; readonly data: Uint8Array }[]
  /** The index `Date`. */
  readonly now: number
  /** Valid-Until − Date, at most Limits.advisories.feedMaxValidityMs. */
  readonly validForMs: number
  readonly serial: number
  /** The publisher's armored OpenPGP private key. */
  readonly armoredPrivateKey: string
  readonly passphrase?: string | undefined
}

/** What `buildSignedFeed` produced. */
export interface BuiltSignedFeed {
  /** The index before signing (what `gpg --clearsign` would be given). */
  readonly indexText: string
  /** The clearsigned index, to write as `index.asc` next to the files. */
  readonly signedIndex: string
  readonly index: FeedIndex
  /** Fingerprint (upper-case hex) of the signing key. */
  readonly fingerprint: string
}

/**
 * Builds and signs a feed index for the given OSV files. Every file must parse as an Ubuntu OSV advisory and have
 * a safe path (a publisher finds mistakes here, not its users). Throws ADV_* codes on a bad file or argument, and
 * on a key that cannot sign: ADV_FEED_KEY_NOT_PRIVATE, ADV_FEED_KEY_UNREADABLE, PGP_KEY_LOCKED (no passphrase),
 * ADV_FEED_BAD_PASSPHRASE, ADV_FEED_KEY_NOT_YET_VALID (the index Date is before the key was made),
 * ADV_FEED_KEY_CANNOT_SIGN (expired, revoked, no signing capability).
 */
export async function buildSignedFeed(input: BuildSignedFeedInput): Promise<BuiltSignedFeed> {
  if (!(input.validForMs > 0) || input.validForMs > Limits.advisories.feedMaxValidityMs) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_FEED_SYNTAX',
      'validity must be positive and at most the maximum',
      {
        field: 'Valid-Until',
      },
    )
  }
  const files: FeedFileEntry[] = []
  for (const f of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isSafeFeedPath(f.path)) {
      throw new CoreError<AdvisoryErrorCode>('ADV_FEED_BAD_PATH', `unsafe path: ${f.path}`, { path: f.path })
    }
    parseOsvUsn(f.data, {
      channelId: input.feed,
      channelType: 'signed-feed',
      url: f.path,
      fetchedAt: input.now,
    })
    files.push({ path: f.path, size: f.data.byteLength, sha256: await sha256Hex(f.data) })
  }
  const date = Math.floor(input.now / 1000) * 1000
  const fields = {
    format: FEED_FORMAT,
    feed: input.feed,
    description: input.description,
    date,
    validUntil: date + input.validForMs,
    serial: input.serial,
    files,
  }
  const indexText = formatFeedIndex(fields)
  // Round-trip through the parser so a builder bug cannot publish an index readers refuse.
  const index = parseFeedIndex(indexText)
  const key = await unlockSigningKey(input.armoredPrivateKey, input.passphrase, new Date(date))
  let signedIndex: string
  try {
    signedIndex = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: indexText }),
      signingKeys: key,
      date: new Date(date),
    })
  } catch (e) {
    throw cannotSign(key, e)
  }
  return { indexText, signedIndex, index, fingerprint: key.getFingerprint().toUpperCase() }
}

/**
 * Why `buildSignedFeed` could not sign; openpgp's own errors never escape (main/core/README.md: coded errors only).
 *
 * `PGP_KEY_LOCKED` (a passphrase-protected key and no passphrase) keeps its PGP_ code, as before.
 */
export type SignedFeedBuildErrorCode =
  | 'ADV_FEED_KEY_NOT_PRIVATE' // an armored public key was given where the secret key is needed
  | 'ADV_FEED_KEY_UNREADABLE' // not an armored OpenPGP key at all (or damaged)
  | 'ADV_FEED_BAD_PASSPHRASE' // the passphrase does not unlock the key
  | 'ADV_FEED_KEY_NOT_YET_VALID' // the index Date is before the key was created
  | 'ADV_FEED_KEY_CANNOT_SIGN' // expired, revoked, or no key usable for signing at the index Date

/** The message openpgp gives, for details (never shown as the whole story). */
function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * Reads, unlocks and checks the publisher's key for signing at `date`.
 *
 * Each check is done on the key itself rather than by matching openpgp's wording, which changes between versions:
 * the armor type (RFC 9580 section 6.2: "PRIVATE KEY BLOCK"), decryption of the secret key material (section 3.7),
 * the creation time (section 5.5.2: a key cannot have made a signature dated before it existed) and a signing-capable
 * key at that date (section 5.2.3.29, key flags; expiry and revocation).
 */
async function unlockSigningKey(
  armored: string,
  passphrase: string | undefined,
  date: Date,
): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored })
  } catch (e) {
    if (armored.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')) {
      throw new CoreError<SignedFeedBuildErrorCode>(
        'ADV_FEED_KEY_NOT_PRIVATE',
        'the signing key is a public key; the secret key is needed to sign (gpg --armor --export-secret-keys)',
        { reason: reasonOf(e) },
      )
    }
    throw new CoreError<SignedFeedBuildErrorCode>(
      'ADV_FEED_KEY_UNREADABLE',
      'the signing key is not an armored OpenPGP secret key',
      { reason: reasonOf(e) },
    )
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw new CoreError('PGP_KEY_LOCKED', 'the signing key is passphrase-protected; give the passphrase')
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase })
    } catch (e) {
      throw new CoreError<SignedFeedBuildErrorCode>(
        'ADV_FEED_BAD_PASSPHRASE',
        'the passphrase does not unlock the signing key',
        { fingerprint: key.getFingerprint().toUpperCase(), reason: reasonOf(e) },
      )
    }
  }
  const fingerprint = key.getFingerprint().toUpperCase()
  const created = key.getCreationTime()
  if (created.getTime() > date.getTime()) {
    throw new CoreError<SignedFeedBuildErrorCode>(
      'ADV_FEED_KEY_NOT_YET_VALID',
      `the signing key was created on ${created.toISOString()}, after the index date ${date.toISOString()}`,
      { fingerprint, created: created.getTime(), date: date.getTime() },
    )
  }
  try {
    await key.getSigningKey(undefined, date)
  } catch (e) {
    throw cannotSign(key, e, date)
  }
  return key
}

/** ADV_FEED_KEY_CANNOT_SIGN: expired or revoked at `date`, or no key with the signing flag. */
function cannotSign(key: openpgp.PrivateKey, e: unknown, date?: Date): CoreError<SignedFeedBuildErrorCode> {
  const fingerprint = key.getFingerprint().toUpperCase()
  const reason = reasonOf(e)
  return new CoreError<SignedFeedBuildErrorCode>(
    'ADV_FEED_KEY_CANNOT_SIGN',
    `the signing key cannot sign${date ? ` on ${date.toISOString()}` : ''} (expired, revoked or not a signing key): ${reason}`,
    { fingerprint, reason },
  )
}
