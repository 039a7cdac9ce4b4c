/**
 * Fetching one index a verified Release lists (a Packages or Sources file): the hop from the signed Release to
 * bytes that may be decompressed and parsed (docs/trust.md, "2. Mirrors").
 *
 * Used by the poller (Packages, streamed into their compact form) and by the archive evidence chain (Sources, as
 * text), so both check an index the same way: the signed size is the download cap, the signed SHA256 is checked
 * before a byte is decompressed, and the signed uncompressed size and hash after.
 */
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import type { DecompressStream, Decompressor } from '../ports'
import { aptError } from './errors'
import { verifyIndexBytes } from './indexes'
import type { IndexCandidate } from './indexes'
import { withUrl } from './release-fetch'

/** Where the decompressed bytes of a signed index go: a fresh sink for each attempt. */
export interface IndexSink<R> {
  push(chunk: Uint8Array): void
  finish(): Promise<R>
}

/** The decompression ports an index fetch uses. */
export interface IndexDecompression {
  readonly decompressor: Decompressor
  /** Streaming decompression (bounded memory); without it an index is decompressed whole. */
  readonly decompressStream?: DecompressStream | undefined
}

/** What `fetchSignedIndex` needs: where the archive is, what the Release signed, and where the bytes go. */
export interface SignedIndexRequest<R> {
  /** The archive root URL, without a trailing slash. */
  readonly base: string
  /** The ways to fetch the index, best first (`indexCandidates`), each with its signed size and hash. */
  readonly candidates: readonly IndexCandidate[]
  /** Downloads one URL within `maxBytes`; NET_NOT_FOUND moves on to the next URL. */
  readonly fetch: (url: string, maxBytes: number) => Promise<Uint8Array>
  readonly decompress: IndexDecompression
  /** A fresh sink for each attempt. */
  readonly sink: () => IndexSink<R>
  /** The error thrown when no candidate could be fetched and none failed with a CoreError. */
  readonly unavailable: () => CoreError
  /** Told each URL as it is tried (for the status shown when something fails). */
  readonly onUrl?: ((url: string) => void) | undefined
}

/** A signed index as fetched: the sink's result, the candidate used and the URL it came from. */
export interface SignedIndex<R> {
  readonly result: R
  readonly candidate: IndexCandidate
  readonly url: string
}

/** A signed index as fetched by `fetchSignedIndexText`: its text, the candidate used and the URL it came from. */
export interface SignedIndexText {
  readonly text: string
  readonly candidate: IndexCandidate
  readonly url: string
}

/** What `fetchSignedIndexText` needs: as `fetchSignedIndex`, with the whole-buffer decompressor only. */
export type SignedIndexTextRequest = Omit<SignedIndexRequest<string>, 'sink' | 'decompress'> & {
  readonly decompressor: Decompressor
}

/**
 * Fetches one index listed in a verified Release (a Packages or Sources file) and returns its text; see
 * `fetchSignedIndex` for the checks. Used by the archive evidence chain for Sources indexes.
 */
export async function fetchSignedIndexText(request: SignedIndexTextRequest): Promise<SignedIndexText> {
  const { decompressor, ...rest } = request
  const got = await fetchSignedIndex({
    ...rest,
    decompress: { decompressor },
    sink: () => textSink(request.candidates[0]?.path ?? 'index'),
  })
  return { text: got.result, candidate: got.candidate, url: got.url }
}

/**
 * Fetches one index listed in a verified Release: the candidates in preference order (`indexCandidates`), each
 * by-hash first then by name, as apt does when the by-hash file is missing, and hands its decompressed bytes to
 * a fresh `sink()` for each attempt.
 *
 * The signed size is the download cap, the bytes must match the signed SHA256 before they are decompressed
 * (within the signed uncompressed size), and the decompressed bytes must match the signed uncompressed hash
 * when the Release lists it (Debian repository format, "MD5Sum, SHA1, SHA256"): with `decompressStream` the sink
 * has seen them by then, and the sink's result is only returned when they match. `fetch` failing with
 * NET_NOT_FOUND moves on to the next URL; every other failure is thrown, with the URL added to the details of
 * check failures. When no candidate could be fetched, the last error (or `unavailable()`) is thrown.
 */
export async function fetchSignedIndex<R>(request: SignedIndexRequest<R>): Promise<SignedIndex<R>> {
  let lastErr: unknown
  for (const candidate of request.candidates) {
    const cap = candidate.compression === 'none' ? Limits.size.indexBytes : Limits.size.compressedIndexBytes
    if (candidate.expected.size > cap) {
      lastErr = aptError(
        'APT_TOO_LARGE',
        `${candidate.path} is ${candidate.expected.size} bytes, over the cap`,
        {
          path: candidate.path,
        },
      )
      continue
    }
    // By-hash (Acquire-By-Hash: yes) names the file by its signed hash, so a mirror mid-update cannot serve an
    // index of another Release; fall back to the plain name as apt does when the by-hash file is missing.
    const base = request.base
    const urls = candidate.byHashUrl
      ? [`${base}/${candidate.byHashUrl}`, `${base}/${candidate.url}`]
      : [`${base}/${candidate.url}`]
    for (const url of urls) {
      request.onUrl?.(url)
      const got = await fetchWithinSignedSize(request.fetch, candidate, url)
      if ('notFound' in got) {
        lastErr = got.notFound
        continue
      }
      const body = got.body
      await withUrl(url, () => verifyIndexBytes(body, candidate.expected))
      const sink = request.sink()
      await withUrl(url, () => decompressInto(candidate, body, request.decompress, sink))
      const result = await withUrl(url, () => sink.finish())
      return { result, candidate, url }
    }
  }
  throw lastErr instanceof CoreError ? lastErr : request.unavailable()
}

/**
 * Downloads one URL of a candidate with its signed size as the cap. A 404 (NET_NOT_FOUND) is returned, so the
 * caller can try the next URL; any other failure is thrown.
 */
async function fetchWithinSignedSize(
  fetch: (url: string, maxBytes: number) => Promise<Uint8Array>,
  candidate: IndexCandidate,
  url: string,
): Promise<{ readonly body: Uint8Array } | { readonly notFound: unknown }> {
  try {
    // The signed size is the download cap: an inflated or endless body stops at the first byte too many.
    return { body: await fetch(url, candidate.expected.size) }
  } catch (e) {
    if (isCoreError(e, 'NET_NOT_FOUND')) return { notFound: e }
    // Over the signed size is a mismatch with the signed Release (apt: "File has unexpected size"), not a
    // download over a safety cap.
    if (isCoreError(e, 'NET_TOO_LARGE')) {
      throw aptError(
        'APT_SIZE_MISMATCH',
        `${candidate.path} is longer than its signed size ${candidate.expected.size}`,
        { url, expected: candidate.expected.size },
      )
    }
    throw e
  }
}

/** Decompresses verified bytes into `sink`, checking the signed uncompressed size and hash when listed. */
async function decompressInto<R>(
  candidate: IndexCandidate,
  body: Uint8Array,
  decompress: IndexDecompression,
  sink: IndexSink<R>,
): Promise<void> {
  const plain = candidate.uncompressed
  if (candidate.compression === 'none') {
    pushSliced(sink, body)
    return
  }
  const format = candidate.compression
  const cap = plain?.size ?? Limits.size.indexBytes
  if (decompress.decompressStream) {
    const out = await decompress.decompressStream(format, body, cap, (chunk) => sink.push(chunk))
    if (!plain) return
    // Defence in depth: the decompressed bytes must also match the signed uncompressed size and hash.
    if (out.size !== plain.size) {
      throw aptError('APT_SIZE_MISMATCH', `size ${out.size} differs from the signed size ${plain.size}`, {
        size: out.size,
        expectedSize: plain.size,
      })
    }
    if (out.sha256 !== plain.sha256.toLowerCase()) {
      throw aptError('APT_HASH_MISMATCH', 'SHA256 differs from the signed hash', {
        sha256: out.sha256,
        expectedSha256: plain.sha256,
      })
    }
    return
  }
  const data = await decompress.decompressor(format, body, cap)
  // Defence in depth: the decompressed bytes must also match the signed uncompressed hash when listed.
  if (plain) await verifyIndexBytes(data, plain)
  pushSliced(sink, data)
}

/** Slices handed to a sink from a buffer already in memory: the sink's own working set stays small. */
const SINK_SLICE = 1024 * 1024

function pushSliced<R>(sink: IndexSink<R>, data: Uint8Array): void {
  for (let off = 0; off < data.byteLength; off += SINK_SLICE) {
    sink.push(data.subarray(off, Math.min(data.byteLength, off + SINK_SLICE)))
  }
}

/** A sink that keeps the whole index and decodes it as strict UTF-8 (APT_PARSE otherwise). */
function textSink(path: string): IndexSink<string> {
  const chunks: Uint8Array[] = []
  let total = 0
  return {
    push(chunk) {
      chunks.push(chunk)
      total += chunk.byteLength
    },
    finish() {
      const all = chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(total)
      if (chunks.length !== 1) {
        let off = 0
        for (const chunk of chunks) {
          all.set(chunk, off)
          off += chunk.byteLength
        }
      }
      try {
        return Promise.resolve(new TextDecoder('utf-8', { fatal: true }).decode(all))
      } catch {
        return Promise.reject(aptError('APT_PARSE', `${path} is not valid UTF-8`))
      }
    },
  }
}
