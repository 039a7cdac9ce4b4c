/**
 * Lifeline's signed advisory feed: reading (verify the index, check freshness and rollback, then each OSV file's
 * size and SHA256 before parsing it) and building (write and clearsign the index).
 *
 * The chain is the apt one (DESIGN.md, trust model points 2–3): pinned key → clearsigned index → SHA256 per file.
 * Only the signed text of the index is parsed (point 6); a file is parsed only after its hash matched.
 */
import * as openpgp from 'openpgp'
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

/** Lower-case hex SHA256 of bytes (WebCrypto, available in Node 20 and browsers). */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

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
    throw new CoreError<AdvisoryErrorCode>('ADV_FEED_UNSIGNED_TEXT', 'the feed index has text outside its signature', {
      before: verified.unsignedBefore.trim().length,
      after: verified.unsignedAfter.trim().length,
    })
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
  const results = await mapLimit(index.files, Limits.net.concurrency, (entry) =>
    readFeedFile(entry, indexUrl, opts.fetcher, channelId, signer.fingerprint, opts.now),
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

async function readFeedFile(
  entry: FeedFileEntry,
  indexUrl: string,
  fetcher: Fetcher,
  channelId: string,
  signedBy: string,
  now: number,
): Promise<{ advisory: Advisory } | { issue: RecordIssue }> {
  const url = new URL(entry.path, indexUrl).href
  try {
    let body: Uint8Array
    try {
      // Cap at the signed size + 1: a longer body is a mismatch, and an endless one stops there.
      body = (await fetcher({ url, maxBytes: entry.size + 1, timeoutMs: Limits.net.totalTimeoutMs, allowHttp: true }))
        .body
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
      throw new CoreError<AdvisoryErrorCode>('ADV_HASH_MISMATCH', `${entry.path}: SHA256 differs from the index`, {
        field: entry.path,
      })
    }
    return {
      advisory: parseOsvUsn(body, { channelId, channelType: 'signed-feed', url, fetchedAt: now, signedBy }),
    }
  } catch (e) {
    const record = e instanceof CoreError && typeof e.details.record === 'string' ? e.details.record : entry.path
    const issue = toIssue(channelId, record, e)
    return { issue: issue.field === '(root)' ? { ...issue, field: entry.path } : issue }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
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
 * a safe path (a publisher finds mistakes here, not its users). Throws ADV_* codes on a bad file or argument.
 */
export async function buildSignedFeed(input: BuildSignedFeedInput): Promise<BuiltSignedFeed> {
  if (!(input.validForMs > 0) || input.validForMs > Limits.advisories.feedMaxValidityMs) {
    throw new CoreError<AdvisoryErrorCode>('ADV_FEED_SYNTAX', 'validity must be positive and at most the maximum', {
      field: 'Valid-Until',
    })
  }
  const files: FeedFileEntry[] = []
  for (const f of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isSafeFeedPath(f.path)) {
      throw new CoreError<AdvisoryErrorCode>('ADV_FEED_BAD_PATH', `unsafe path: ${f.path}`, { path: f.path })
    }
    parseOsvUsn(f.data, { channelId: input.feed, channelType: 'signed-feed', url: f.path, fetchedAt: input.now })
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
  let key = await openpgp.readPrivateKey({ armoredKey: input.armoredPrivateKey })
  if (!key.isDecrypted()) {
    if (input.passphrase === undefined) {
      throw new CoreError('PGP_KEY_LOCKED', 'the signing key is passphrase-protected; give the passphrase')
    }
    key = await openpgp.decryptKey({ privateKey: key, passphrase: input.passphrase })
  }
  const signedIndex = await openpgp.sign({
    message: await openpgp.createCleartextMessage({ text: indexText }),
    signingKeys: key,
    date: new Date(date),
  })
  return { indexText, signedIndex, index, fingerprint: key.getFingerprint().toUpperCase() }
}
