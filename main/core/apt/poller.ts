/**
 * The mirror poller (docs/trust.md, "Mirrors").
 *
 * For each mirror × suite: fetch `dists/<suite>/InRelease` (or `Release` + `Release.gpg`) with a conditional GET,
 * verify it with the pinned archive keys (`release-fetch.ts`), check it (suite, Date, Valid-Until, maximum age,
 * rollback against the persisted high-water mark), then make sure the compact form of each configured Packages
 * index the Release names is stored: an index whose signed hash is already stored (from an earlier poll, or from
 * another mirror serving the same bytes) costs nothing; a new one is fetched, checked against the signed size and
 * SHA256 before a byte is decompressed, and streamed from decompression into its compact form
 * (`compact-index.ts`). An unchanged mirror costs one conditional request per suite. Pure: network, storage and
 * decompression come in through ports.
 */
import { CoreError, isCoreError, type ErrorCode } from '../errors'
import { Limits } from '../limits'
import type { MirrorConfig, MirrorSuiteState, MirrorSuiteStatus } from '../model'
import type { DecompressStream, Decompressor, FetchResponse, Fetcher, IndexStore } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { aptError, type AptErrorCode } from './errors'
import { CompactIndexBuilder } from './compact-index'
import type { CompactPiece } from './compact-index'
import type { IndexRecord, MirrorsState, SuiteRecord, VerifiedRelease } from './mirror-state'
import { emptyMirrorsState, MIRRORS_STATE_VERSION, suiteKey } from './mirror-state'
import { createMemoryIndexStore } from './mirror-store'
import { indexCandidates, verifyIndexBytes } from './indexes'
import type { IndexCandidate } from './indexes'
import { checkRelease, maxAgeFor, parseRelease, releaseMatchesSuite } from './release'
import type { ReleaseInfo } from './release'
import { fetchSignedRelease, withUrl } from './release-fetch'
import { stateForCode } from './suite-state'
import type { ReleaseFile } from './release-fetch'

/** Progress of a poll; `done`/`total`/`label` match the status machine's `CheckProgress`. */
export interface PollProgress {
  readonly done: number
  readonly total: number
  readonly label: string
  readonly mirrorId: string
  readonly suite: string
}

/** Input of `pollMirrors`. */
export interface PollInput {
  readonly mirrors: readonly MirrorConfig[]
  /** Pinned keys; only `archive` keys may sign a Release. */
  readonly keyring: Keyring
  /** The one reference time of this poll (epoch ms). */
  readonly now: number
  readonly previous: MirrorsState | undefined
  readonly ports: {
    readonly fetcher: Fetcher
    readonly decompressor: Decompressor
    /** Streaming decompression (bounded memory); without it an index is decompressed whole. */
    readonly decompressStream?: DecompressStream | undefined
    /**
     * Where compact pieces are stored; it must be the store `previous` was written with. Default: a fresh
     * store in memory (then `previous` is re-fetched, as its pieces are not there).
     */
    readonly indexes?: IndexStore | undefined
  }
  readonly onProgress?: ((p: PollProgress) => void) | undefined
  readonly signal?: AbortSignal | undefined
  /** Concurrent mirror × suite jobs (each makes one request at a time); default `Limits.net.concurrency`. */
  readonly concurrency?: number | undefined
  /** Maximum Release age by suite; default `maxAgeFor`. */
  readonly maxAgeMs?: ((suite: string) => number) | undefined
}

/** Output of `pollMirrors`. */
export interface PollResult {
  readonly statuses: MirrorSuiteStatus[]
  /** The state to persist (through a `StateStore`, name `MIRRORS_STATE_NAME`). */
  readonly state: MirrorsState
  /** Body bytes received over the whole poll. */
  readonly bytesTransferred: number
  /** The store holding the pieces `state` references (`ports.indexes`, or the one made for this poll). */
  readonly indexes: IndexStore
}

const HOUR = 3600_000

/** "3 hours", "2 days": a duration for plain-language details. */
export function describeDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < 2 * 60_000) return `${Math.round(abs / 1000)} seconds`
  if (abs < 2 * HOUR) return `${Math.round(abs / 60_000)} minutes`
  if (abs < 48 * HOUR) return `${Math.round(abs / HOUR)} hours`
  return `${Math.round(abs / (24 * HOUR))} days`
}

function iso(ms: number | undefined): string {
  return ms === undefined ? 'unknown' : new Date(ms).toISOString()
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++
      out[i] = await (jobs[i] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker))
  return out
}

/** What a poll knows of a stored compact piece, to reference it without reading it. */
type PieceInfo = Pick<IndexRecord, 'entries' | 'compactSha256' | 'compactBytes'>

interface JobContext {
  readonly input: PollInput
  readonly indexes: IndexStore
  bytes: number
  /** Pieces known to be stored (from the previous state and this poll), by key. */
  readonly known: Map<string, PieceInfo>
  /** Pieces being fetched right now, by key: a second mirror serving the same index waits for the first. */
  readonly inflight: Map<string, Promise<PieceInfo>>
  /** Bytes of the distinct pieces known, against `Limits.size.compactTotalBytes`. */
  storedBytes: number
  /** Bounds the indexes fetched and decoded at once (`Limits.net.indexConcurrency`): peak memory. */
  readonly indexSlots: Semaphore
}

/** A counting semaphore: `run` waits for a free slot. */
class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []
  constructor(slots: number) {
    this.free = Math.max(1, slots)
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}

/** The outcome of one mirror × suite before lag is computed. */
interface JobOutcome {
  readonly mirror: MirrorConfig
  readonly suite: string
  readonly record: SuiteRecord
  readonly state: MirrorSuiteState
  readonly detail: string
  readonly code?: ErrorCode | undefined
  readonly url: string
  readonly releaseDate?: number | undefined
  readonly validUntil?: number | undefined
  readonly signedBy?: string | undefined
  readonly notModified: boolean
  readonly bytes: number
}

function indexKey(component: string, arch: string): string {
  return `${component}/binary-${arch}`
}

/** Fetch through the port, counting bytes for the report. */
async function get(
  ctx: JobContext,
  counter: { bytes: number },
  url: string,
  maxBytes: number,
  validators?: { etag?: string | undefined; lastModified?: string | undefined },
): Promise<FetchResponse> {
  const res = await ctx.input.ports.fetcher({
    url,
    maxBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    // Plain http is acceptable for apt mirrors only: every byte used is covered by the Release signature
    // (Debian repository format; apt itself defaults to http).
    allowHttp: true,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    signal: ctx.input.signal,
  })
  counter.bytes += res.bytesTransferred
  ctx.bytes += res.bytesTransferred
  return res
}

function isNotFound(e: unknown): boolean {
  return isCoreError(e, 'NET_NOT_FOUND')
}

function detailFor(state: MirrorSuiteState, err: CoreError | undefined, url: string, suite: string): string {
  const why = err?.message ?? ''
  switch (state) {
    case 'ok':
    case 'lagging':
      return ''
    case 'stale':
      return `The mirror's ${suite} index is older than allowed; it has not been updated recently.`
    case 'frozen':
      return err?.code === 'APT_DATE_IN_FUTURE'
        ? `The mirror's ${suite} index is dated in the future; it is not trusted (check this computer's clock).`
        : `The mirror's ${suite} index has expired (its Valid-Until date has passed); the mirror looks frozen.`
    case 'rolled-back':
      return `The mirror served an older ${suite} index than one already seen from it: a possible replay of old data.`
    case 'bad-signature':
      return err?.code.startsWith('APT_') === true
        ? `The signed ${suite} index from this mirror could not be read (${err.code}); it is not used.`
        : `The ${suite} index from this mirror is not signed by a trusted archive key (${err?.code ?? 'unknown'}).`
    case 'wrong-suite':
      return `The mirror answered with a different release than ${suite}.`
    case 'hash-mismatch':
      return `A package list from this mirror does not match the signed ${suite} index: it was altered or is incomplete.`
    case 'unreachable':
      return err?.code.startsWith('STATE_') === true
        ? `Lifeline could not save this mirror's ${suite} package lists on this computer (${why}); this suite is not used.`
        : `The mirror could not be reached (${err?.code ?? 'unknown'}: ${why}).`
    case 'too-slow':
      return `The mirror answered too slowly; the download was stopped.`
    case 'too-large':
      return err?.code === 'APT_STATE_CAP'
        ? `The ${suite} package lists of this mirror are larger than Lifeline is set to keep (${err.message}); this suite is not used, the others are.`
        : `The mirror sent more data than allowed for ${url.split('/').pop() ?? 'a file'}; the download was stopped.`
  }
}

/** Polls one mirror × suite. Never throws a CoreError: failures become the outcome's state. */
async function pollSuite(
  ctx: JobContext,
  mirror: MirrorConfig,
  suite: string,
  prevState: MirrorsState | undefined,
): Promise<JobOutcome> {
  const { now } = ctx.input
  const base = mirror.url.replace(/\/+$/, '')
  const dist = `${base}/dists/${suite}/`
  const prev = prevState?.suites[suiteKey(mirror.id, suite)]
  // Validators and verified data belong to the URL they came from; the high-water mark belongs to the mirror id,
  // so pointing a mirror at another server cannot reset rollback protection.
  // A record whose verified Release is another pocket's was saved before releaseMatchesSuite existed (pocket
  // substitution, docs/trust.md): neither its data nor its high-water mark belong to this pocket, so both are dropped
  // and the next genuine Release sets the mark again.
  const poisoned = prev?.verified !== undefined && !releaseMatchesSuite(prev.verified, suite)
  const same = !poisoned && prev !== undefined && prev.baseUrl === base && prev.mirrorId === mirror.id
  const start: SuiteRecord =
    same && prev !== undefined
      ? prev
      : {
          mirrorId: mirror.id,
          suite,
          baseUrl: base,
          indexes: {},
          highWater: poisoned ? undefined : prev?.highWater,
        }
  const counter = { bytes: 0 }
  const wanted = mirror.components.flatMap((c) =>
    mirror.architectures.map((a) => ({ component: c, arch: a })),
  )

  let url = `${dist}InRelease`
  let release: ReleaseInfo | undefined
  let signedBy: string | undefined
  let highWater = start.highWater

  const fail = (e: unknown, record: SuiteRecord): JobOutcome => {
    if (!(e instanceof CoreError)) throw e
    const state = stateForCode(e.code)
    let detail = detailFor(state, e, url, suite)
    if (record.verified) {
      detail += ` Showing data verified ${describeDuration(now - record.verified.verifiedAt)} ago.`
    }
    return {
      mirror,
      suite,
      record: { ...record, highWater, last: { state, code: e.code, at: now } },
      state,
      detail,
      code: e.code,
      url: typeof e.details.url === 'string' ? e.details.url : url,
      releaseDate: release?.date,
      validUntil: release?.validUntil,
      signedBy,
      notModified: false,
      bytes: counter.bytes,
    }
  }

  try {
    // A conditional GET is only safe when the last poll verified everything this config asks for and its pieces
    // are still stored; otherwise an unchanged Release would hide indexes never fetched (a new component, a
    // failed index, a piece lost from disk).
    const complete =
      start.verified !== undefined &&
      (start.last?.state === 'ok' || start.last?.state === 'lagging') &&
      (await allStored(ctx, start, wanted))
    const validators = complete ? { etag: start.etag, lastModified: start.lastModified } : undefined
    const got = await fetchSignedRelease({
      dist,
      fetch: (u, maxBytes, v) => get(ctx, counter, u, maxBytes, v),
      keyring: ctx.input.keyring,
      now,
      // Validators belong to the file they came from.
      validators: (f: ReleaseFile) => (start.verified?.file === f ? validators : undefined),
      onUrl: (u) => {
        url = u
      },
    })
    if (got.notModified) return unchanged(ctx, mirror, suite, start, url, counter.bytes)

    signedBy = got.signedBy
    release = parseRelease(got.text)
    checkRelease(release, {
      expectedSuite: suite,
      now,
      highWaterDate: highWater,
      maxAgeMs: (ctx.input.maxAgeMs ?? maxAgeFor)(suite),
    })
    // The Release is authentic and not older than any accepted before: it raises the high-water mark even if an
    // index below fails, so a later replay of the older Release is caught.
    highWater = Math.max(highWater ?? 0, release.date)

    const indexes: Record<string, IndexRecord> = {}
    for (const w of wanted) {
      const key = indexKey(w.component, w.arch)
      indexes[key] = await fetchIndex(
        ctx,
        counter,
        base,
        suite,
        release,
        w.component,
        w.arch,
        start.indexes[key],
        (u) => {
          url = u
        },
      )
    }
    const verifiedRelease: VerifiedRelease = {
      date: release.date,
      validUntil: release.validUntil,
      suite: release.suite ?? suite,
      codename: release.codename,
      signedBy: got.signedBy,
      verifiedAt: now,
      file: got.file,
      url: got.url,
    }
    const record: SuiteRecord = {
      mirrorId: mirror.id,
      suite,
      baseUrl: base,
      etag: got.etag,
      lastModified: got.lastModified,
      highWater,
      verified: verifiedRelease,
      indexes,
      last: { state: 'ok', at: now },
    }
    return {
      mirror,
      suite,
      record,
      state: 'ok',
      detail: `Verified: signed ${iso(release.date)}.`,
      url: got.url,
      releaseDate: release.date,
      validUntil: release.validUntil,
      signedBy: got.signedBy,
      notModified: false,
      bytes: counter.bytes,
    }
  } catch (e) {
    return fail(e, start)
  }
}

/** A 304 on the Release: the verified data stands, but time-based checks are re-run against `now`. */
function unchanged(
  ctx: JobContext,
  mirror: MirrorConfig,
  suite: string,
  rec: SuiteRecord,
  url: string,
  bytes: number,
): JobOutcome {
  const { now } = ctx.input
  const v = rec.verified as VerifiedRelease
  let code: AptErrorCode | undefined
  if (v.validUntil !== undefined && v.validUntil < now) code = 'APT_FROZEN'
  else if (now - v.date > (ctx.input.maxAgeMs ?? maxAgeFor)(suite)) code = 'APT_STALE'
  const state: MirrorSuiteState = code ? stateForCode(code) : 'ok'
  return {
    mirror,
    suite,
    record: { ...rec, last: { state, code, at: now } },
    state,
    detail: code
      ? detailFor(state, new CoreError(code, code), url, suite)
      : `Unchanged since last check; signed ${iso(v.date)}.`,
    code,
    url: v.url,
    releaseDate: v.date,
    validUntil: v.validUntil,
    signedBy: v.signedBy,
    notModified: true,
    bytes,
  }
}

/** Whether every wanted index of `rec` is referenced and its piece is still stored. */
async function allStored(
  ctx: JobContext,
  rec: SuiteRecord,
  wanted: readonly { component: string; arch: string }[],
): Promise<boolean> {
  for (const w of wanted) {
    const idx = rec.indexes[indexKey(w.component, w.arch)]
    if (idx === undefined || !(await ctx.indexes.has(idx.sha256))) return false
  }
  return true
}

/**
 * Makes sure the compact piece of one Packages index the verified Release names is stored, and returns its
 * reference. The piece is keyed by the signed hash (the uncompressed one when the Release lists it): a piece
 * already stored under it — from an earlier poll or another mirror whose signed Release names the same hash —
 * is the same content (SHA256), so nothing is fetched. Otherwise it is fetched and checked by
 * `fetchSignedIndex`, once per key however many mirrors ask for it at the same time.
 */
async function fetchIndex(
  ctx: JobContext,
  counter: { bytes: number },
  base: string,
  suite: string,
  release: ReleaseInfo,
  component: string,
  arch: string,
  prev: IndexRecord | undefined,
  setUrl: (u: string) => void,
): Promise<IndexRecord> {
  // Candidates in preference order (.xz, .gz, plain), each with its signed size and hash; APT_NOT_IN_RELEASE if none.
  const candidates = indexCandidates(release, component, arch, suite)
  const first = candidates[0] as IndexCandidate
  const signed = first.uncompressed ?? first.expected
  const key = signed.sha256.toLowerCase()
  const ref = (p: PieceInfo, path: string): IndexRecord => ({
    component,
    arch,
    sha256: key,
    size: signed.size,
    fetchedPath: path,
    entries: p.entries,
    compactSha256: p.compactSha256,
    compactBytes: p.compactBytes,
  })
  if (prev && prev.sha256 === key && prev.size === signed.size && (await ctx.indexes.has(key))) return prev
  const stored = ctx.known.get(key)
  if (stored && (await ctx.indexes.has(key))) return ref(stored, first.path)
  const running = ctx.inflight.get(key)
  if (running) {
    try {
      return ref(await running, first.path)
    } catch {
      // The other mirror's copy failed its checks; this mirror's own copy is fetched and judged on its own.
    }
  }
  let path = first.path
  const job = ctx.indexSlots.run(async (): Promise<PieceInfo> => {
    const label = `${component}/binary-${arch}/Packages`
    const got = await fetchSignedIndex(
      base,
      candidates,
      async (u, maxBytes) => (await get(ctx, counter, u, maxBytes)).body,
      ctx.input.ports,
      () => compactSink(label),
      () => aptError('APT_NOT_IN_RELEASE', `${label} unavailable`),
      setUrl,
    )
    path = got.candidate.path
    const piece = got.result
    if (ctx.storedBytes + piece.bytes.byteLength > Limits.size.compactTotalBytes) {
      throw aptError(
        'APT_STATE_CAP',
        `all package lists kept would be over ${Limits.size.compactTotalBytes} bytes`,
        { maxBytes: Limits.size.compactTotalBytes },
      )
    }
    await ctx.indexes.put(key, piece.bytes)
    const info: PieceInfo = {
      entries: piece.entries,
      compactSha256: piece.sha256,
      compactBytes: piece.bytes.byteLength,
    }
    if (!ctx.known.has(key)) ctx.storedBytes += info.compactBytes
    ctx.known.set(key, info)
    return info
  })
  ctx.inflight.set(key, job)
  try {
    return ref(await job, path)
  } finally {
    if (ctx.inflight.get(key) === job) ctx.inflight.delete(key)
  }
}

/** Where the decompressed bytes of a signed index go: a fresh sink for each attempt. */
export interface IndexSink<R> {
  push(chunk: Uint8Array): void
  finish(): Promise<R>
}

function compactSink(label: string): IndexSink<CompactPiece> {
  const b = new CompactIndexBuilder(Limits.size.compactIndexBytes, label)
  return { push: (c) => b.pushBytes(c), finish: () => b.finish() }
}

function textSink(path: string): IndexSink<string> {
  const chunks: Uint8Array[] = []
  let total = 0
  return {
    push(c) {
      chunks.push(c)
      total += c.byteLength
    },
    finish() {
      const all = chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(total)
      if (chunks.length !== 1) {
        let off = 0
        for (const c of chunks) {
          all.set(c, off)
          off += c.byteLength
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

/** Slices handed to a sink from a buffer already in memory: the sink's own working set stays small. */
const SINK_SLICE = 1024 * 1024

function pushSliced<R>(sink: IndexSink<R>, data: Uint8Array): void {
  for (let off = 0; off < data.byteLength; off += SINK_SLICE) {
    sink.push(data.subarray(off, Math.min(data.byteLength, off + SINK_SLICE)))
  }
}

/** A signed index as fetched by `fetchSignedIndexText`: its text, the candidate used and the URL it came from. */
export interface SignedIndexText {
  readonly text: string
  readonly candidate: IndexCandidate
  readonly url: string
}

/**
 * Fetches one index listed in a verified Release (a Packages or Sources file) and returns its text; see
 * `fetchSignedIndex` for the checks. Used by the archive evidence chain for Sources indexes.
 */
export async function fetchSignedIndexText(
  base: string,
  candidates: readonly IndexCandidate[],
  fetch: (url: string, maxBytes: number) => Promise<Uint8Array>,
  decompressor: Decompressor,
  unavailable: () => CoreError,
  onUrl?: (url: string) => void,
): Promise<SignedIndexText> {
  const got = await fetchSignedIndex(
    base,
    candidates,
    fetch,
    { decompressor },
    () => textSink(candidates[0]?.path ?? 'index'),
    unavailable,
    onUrl,
  )
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
export async function fetchSignedIndex<R>(
  base: string,
  candidates: readonly IndexCandidate[],
  fetch: (url: string, maxBytes: number) => Promise<Uint8Array>,
  decompress: {
    readonly decompressor: Decompressor
    readonly decompressStream?: DecompressStream | undefined
  },
  sink: () => IndexSink<R>,
  unavailable: () => CoreError,
  onUrl?: (url: string) => void,
): Promise<{ readonly result: R; readonly candidate: IndexCandidate; readonly url: string }> {
  let lastErr: unknown
  for (const c of candidates) {
    const cap = c.compression === 'none' ? Limits.size.indexBytes : Limits.size.compressedIndexBytes
    if (c.expected.size > cap) {
      lastErr = aptError('APT_TOO_LARGE', `${c.path} is ${c.expected.size} bytes, over the cap`, {
        path: c.path,
      })
      continue
    }
    // By-hash (Acquire-By-Hash: yes) names the file by its signed hash, so a mirror mid-update cannot serve an
    // index of another Release; fall back to the plain name as apt does when the by-hash file is missing.
    const urls = c.byHashUrl ? [`${base}/${c.byHashUrl}`, `${base}/${c.url}`] : [`${base}/${c.url}`]
    for (const u of urls) {
      onUrl?.(u)
      let body: Uint8Array
      try {
        // The signed size is the download cap: an inflated or endless body stops at the first byte too many.
        body = await fetch(u, c.expected.size)
      } catch (e) {
        if (isNotFound(e)) {
          lastErr = e
          continue
        }
        // Over the signed size is a mismatch with the signed Release (apt: "File has unexpected size"), not a
        // download over a safety cap.
        if (isCoreError(e, 'NET_TOO_LARGE')) {
          throw aptError('APT_SIZE_MISMATCH', `${c.path} is longer than its signed size ${c.expected.size}`, {
            url: u,
            expected: c.expected.size,
          })
        }
        throw e
      }
      await withUrl(u, () => verifyIndexBytes(body, c.expected))
      const s = sink()
      await withUrl(u, () => decompressInto(c, body, decompress, s))
      const result = await withUrl(u, () => s.finish())
      return { result, candidate: c, url: u }
    }
  }
  throw lastErr instanceof CoreError ? lastErr : unavailable()
}

/** Decompresses verified bytes into `sink`, checking the signed uncompressed size and hash when listed. */
async function decompressInto<R>(
  c: IndexCandidate,
  body: Uint8Array,
  decompress: {
    readonly decompressor: Decompressor
    readonly decompressStream?: DecompressStream | undefined
  },
  sink: IndexSink<R>,
): Promise<void> {
  const plain = c.uncompressed
  if (c.compression === 'none') {
    pushSliced(sink, body)
    return
  }
  const format = c.compression
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

/**
 * Polls every mirror × suite and returns their statuses and the state to persist.
 *
 * Never throws a CoreError: each failure becomes that mirror × suite's status, and its last verified data stays in
 * the state (with its age in the detail). Concurrency is bounded by `Limits.net.concurrency`.
 */
export async function pollMirrors(input: PollInput): Promise<PollResult> {
  const indexes = input.ports.indexes ?? createMemoryIndexStore()
  const known = new Map<string, PieceInfo>()
  for (const rec of Object.values(input.previous?.suites ?? {})) {
    for (const i of Object.values(rec.indexes)) known.set(i.sha256, i)
  }
  let storedBytes = 0
  for (const p of known.values()) storedBytes += p.compactBytes
  const ctx: JobContext = {
    input,
    indexes,
    bytes: 0,
    known,
    inflight: new Map(),
    storedBytes,
    indexSlots: new Semaphore(Limits.net.indexConcurrency),
  }
  const pairs = input.mirrors.flatMap((m) => m.suites.map((s) => ({ mirror: m, suite: s })))
  let done = 0
  const jobs = pairs.map(({ mirror, suite }) => async () => {
    const out = await pollSuite(ctx, mirror, suite, input.previous)
    done++
    input.onProgress?.({
      done,
      total: pairs.length,
      label: `${mirror.name}: ${suite}`,
      mirrorId: mirror.id,
      suite,
    })
    return out
  })
  const outcomes = await pool(jobs, input.concurrency ?? Limits.net.concurrency)

  // Records of mirrors × suites no longer configured are kept: their high-water marks must survive a config
  // round-trip (removing and re-adding a mirror must not reset rollback protection).
  const suites: Record<string, SuiteRecord> = { ...(input.previous ?? emptyMirrorsState()).suites }
  for (const o of outcomes) suites[suiteKey(o.mirror.id, o.suite)] = o.record
  const state: MirrorsState = { version: MIRRORS_STATE_VERSION, suites }

  // Lag: compare each verified Release with the newest verified Release of the same suite from any mirror.
  const newest = new Map<string, { date: number; mirrorId: string }>()
  for (const rec of Object.values(suites)) {
    const d = rec.verified?.date
    if (d === undefined) continue
    const cur = newest.get(rec.suite)
    if (!cur || d > cur.date) newest.set(rec.suite, { date: d, mirrorId: rec.mirrorId })
  }

  const statuses = outcomes.map((o): MirrorSuiteStatus => {
    let state = o.state
    let detail = o.detail
    let lagMs: number | undefined
    const top = newest.get(o.suite)
    if (state === 'ok' && o.releaseDate !== undefined && top && top.date > o.releaseDate) {
      state = 'lagging'
      lagMs = top.date - o.releaseDate
      const name = input.mirrors.find((m) => m.id === top.mirrorId)?.name ?? top.mirrorId
      detail = `Verified, but ${describeDuration(lagMs)} behind ${name} (signed ${iso(o.releaseDate)}, newest ${iso(top.date)}).`
    }
    const age = o.record.verified ? input.now - o.record.verified.verifiedAt : undefined
    return {
      mirrorId: o.mirror.id,
      mirrorName: o.mirror.name,
      url: o.url,
      suite: o.suite,
      state,
      detail,
      code: o.code,
      checkedAt: input.now,
      releaseDate: o.releaseDate,
      signedBy: o.signedBy,
      validUntil: o.validUntil,
      lagMs,
      dataAgeMs: state === 'ok' || state === 'lagging' ? undefined : age,
      notModified: o.notModified,
      bytesTransferred: o.bytes,
    }
  })
  for (const s of statuses) {
    const k = suiteKey(s.mirrorId, s.suite)
    const rec = suites[k]
    if (rec?.last && rec.last.state !== s.state) suites[k] = { ...rec, last: { ...rec.last, state: s.state } }
  }
  return { statuses, state, bytesTransferred: ctx.bytes, indexes }
}
