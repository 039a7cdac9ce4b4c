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
import { mapWithLimit } from '../concurrency'
import { CoreError, type ErrorCode } from '../errors'
import { Limits } from '../limits'
import type { MirrorConfig, MirrorSuiteState, MirrorSuiteStatus } from '../model'
import type { DecompressStream, Decompressor, Fetcher, IndexStore } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { allStored, indexKey, storeIndexPiece } from './index-pieces'
import type { WantedIndex } from './index-pieces'
import type { IndexRecord, MirrorsState, SuiteRecord, VerifiedRelease } from './mirror-state'
import { emptyMirrorsState, MIRRORS_STATE_VERSION, suiteKey } from './mirror-state'
import { createMemoryIndexStore } from './mirror-store'
import { createPollContext, fetchCounted } from './poll-context'
import type { PollContext, SuiteAttempt } from './poll-context'
import { checkRelease, maxAgeFor, parseRelease, releaseMatchesSuite } from './release'
import type { ReleaseInfo } from './release'
import { fetchSignedRelease } from './release-fetch'
import type { ReleaseFile, SignedRelease } from './release-fetch'
import { isVerifiedState, stateForCode } from './suite-state'
import { describeDuration, isoTimeOrNull } from '../time-format'
import { isCodeOf } from '../error-codes'
import type { AptErrorCode } from './errors'

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

/** An instant for a detail sentence, or "unknown". */
function iso(ms: number | undefined): string {
  return isoTimeOrNull(ms) ?? 'unknown'
}

/** The outcome of one mirror × suite before lag is computed. */
interface SuiteOutcome {
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

/** A Release whose signature verified (not a 304). */
type VerifiedReleaseFile = Extract<SignedRelease, { readonly notModified: false }>

/** The plain-language detail of a mirror × suite in `state`, from the error that put it there. */
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
      return err !== undefined && isCodeOf('apt', err.code)
        ? `The signed ${suite} index from this mirror could not be read (${err.code}); it is not used.`
        : `The ${suite} index from this mirror is not signed by a trusted archive key (${err?.code ?? 'unknown'}).`
    case 'wrong-suite':
      return `The mirror answered with a different release than ${suite}.`
    case 'hash-mismatch':
      return `A package list from this mirror does not match the signed ${suite} index: it was altered or is incomplete.`
    case 'unreachable':
      return err !== undefined && isCodeOf('state', err.code)
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

/**
 * The record a poll of `mirror` × `suite` starts from: the saved one when it belongs to this mirror, URL and
 * pocket, else a fresh one.
 *
 * Validators and verified data belong to the URL they came from; the high-water mark belongs to the mirror id, so
 * pointing a mirror at another server cannot reset rollback protection. A record whose verified Release is another
 * pocket's was saved before releaseMatchesSuite existed (pocket substitution, docs/trust.md): neither its data nor
 * its high-water mark belong to this pocket, so both are dropped and the next genuine Release sets the mark again.
 */
function startingRecord(
  prev: SuiteRecord | undefined,
  mirror: MirrorConfig,
  suite: string,
  base: string,
): SuiteRecord {
  const poisoned = prev?.verified !== undefined && !releaseMatchesSuite(prev.verified, suite)
  const same = !poisoned && prev !== undefined && prev.baseUrl === base && prev.mirrorId === mirror.id
  if (same && prev !== undefined) return prev
  return {
    mirrorId: mirror.id,
    suite,
    baseUrl: base,
    indexes: {},
    highWater: poisoned ? undefined : prev?.highWater,
  }
}

/** Polls one mirror × suite. Never throws a CoreError: failures become the outcome's state. */
async function pollSuite(
  ctx: PollContext,
  mirror: MirrorConfig,
  suite: string,
  previous: MirrorsState | undefined,
): Promise<SuiteOutcome> {
  const base = mirror.url.replace(/\/+$/, '')
  const start = startingRecord(previous?.suites[suiteKey(mirror.id, suite)], mirror, suite, base)
  const attempt: SuiteAttempt = {
    mirror,
    suite,
    base,
    url: `${base}/dists/${suite}/InRelease`,
    highWater: start.highWater,
    bytes: 0,
  }
  try {
    return await verifySuite(ctx, attempt, start)
  } catch (e) {
    return failedOutcome(ctx, attempt, start, e)
  }
}

/** The steps of one mirror × suite: its signed Release, the Release's checks, then each wanted index. */
async function verifySuite(
  ctx: PollContext,
  attempt: SuiteAttempt,
  start: SuiteRecord,
): Promise<SuiteOutcome> {
  const { mirror, suite, base } = attempt
  const wanted: WantedIndex[] = mirror.components.flatMap((component) =>
    mirror.architectures.map((arch) => ({ component, arch })),
  )
  const validators = (await mayAskConditionally(ctx, start, wanted))
    ? { etag: start.etag, lastModified: start.lastModified }
    : undefined
  const got = await fetchSignedRelease({
    dist: `${base}/dists/${suite}/`,
    fetch: (url, maxBytes, sent) => fetchCounted(ctx, attempt, url, maxBytes, sent),
    keyring: ctx.keyring,
    now: ctx.now,
    // Validators belong to the file they came from.
    validators: (file: ReleaseFile) => (start.verified?.file === file ? validators : undefined),
    onUrl: (url) => {
      attempt.url = url
    },
  })
  if (got.notModified) return unchanged(ctx, attempt, start)
  const release = acceptRelease(ctx, attempt, got)
  const indexes: Record<string, IndexRecord> = {}
  for (const index of wanted) {
    const key = indexKey(index.component, index.arch)
    indexes[key] = await storeIndexPiece(ctx, attempt, release, index, start.indexes[key])
  }
  return verifiedOutcome(ctx, attempt, { got, release, indexes })
}

/**
 * Whether the Release may be asked for with a conditional GET: only when the last poll verified everything this
 * config asks for and its pieces are still stored; otherwise an unchanged Release would hide indexes never
 * fetched (a new component, a failed index, a piece lost from disk).
 */
async function mayAskConditionally(
  ctx: PollContext,
  start: SuiteRecord,
  wanted: readonly WantedIndex[],
): Promise<boolean> {
  return (
    start.verified !== undefined &&
    start.last !== undefined &&
    isVerifiedState(start.last.state) &&
    (await allStored(ctx, start, wanted))
  )
}

/**
 * Parses the verified Release text and checks it (suite, Date, Valid-Until, maximum age, rollback); a Release that
 * passes raises the high-water mark.
 */
function acceptRelease(ctx: PollContext, attempt: SuiteAttempt, got: VerifiedReleaseFile): ReleaseInfo {
  attempt.signedBy = got.signedBy
  const release = parseRelease(got.text)
  attempt.release = release
  checkRelease(release, {
    expectedSuite: attempt.suite,
    now: ctx.now,
    highWaterDate: attempt.highWater,
    maxAgeMs: ctx.maxAgeMs(attempt.suite),
  })
  // The Release is authentic and not older than any accepted before: it raises the high-water mark even if an
  // index below fails, so a later replay of the older Release is caught.
  attempt.highWater = Math.max(attempt.highWater ?? 0, release.date)
  return release
}

/** The outcome of a mirror × suite whose Release and every wanted index verified. */
function verifiedOutcome(
  ctx: PollContext,
  attempt: SuiteAttempt,
  verified: {
    readonly got: VerifiedReleaseFile
    readonly release: ReleaseInfo
    readonly indexes: Record<string, IndexRecord>
  },
): SuiteOutcome {
  const { mirror, suite } = attempt
  const { got, release, indexes } = verified
  const verifiedRelease: VerifiedRelease = {
    date: release.date,
    validUntil: release.validUntil,
    suite: release.suite ?? suite,
    codename: release.codename,
    signedBy: got.signedBy,
    verifiedAt: ctx.now,
    file: got.file,
    url: got.url,
  }
  const record: SuiteRecord = {
    mirrorId: mirror.id,
    suite,
    baseUrl: attempt.base,
    etag: got.etag,
    lastModified: got.lastModified,
    highWater: attempt.highWater,
    verified: verifiedRelease,
    indexes,
    last: { state: 'ok', at: ctx.now },
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
    bytes: attempt.bytes,
  }
}

/**
 * The outcome of a mirror × suite that failed: its state from the error code, its last verified data kept (with
 * its age in the detail), and the high-water mark a verified Release may have raised before the failure.
 */
function failedOutcome(
  ctx: PollContext,
  attempt: SuiteAttempt,
  record: SuiteRecord,
  e: unknown,
): SuiteOutcome {
  if (!(e instanceof CoreError)) throw e
  const { mirror, suite, url } = attempt
  const state = stateForCode(e.code)
  let detail = detailFor(state, e, url, suite)
  if (record.verified) {
    detail += ` Showing data verified ${describeDuration(ctx.now - record.verified.verifiedAt)} ago.`
  }
  return {
    mirror,
    suite,
    record: { ...record, highWater: attempt.highWater, last: { state, code: e.code, at: ctx.now } },
    state,
    detail,
    code: e.code,
    url: typeof e.details.url === 'string' ? e.details.url : url,
    releaseDate: attempt.release?.date,
    validUntil: attempt.release?.validUntil,
    signedBy: attempt.signedBy,
    notModified: false,
    bytes: attempt.bytes,
  }
}

/** A 304 on the Release: the verified data stands, but time-based checks are re-run against `now`. */
function unchanged(ctx: PollContext, attempt: SuiteAttempt, rec: SuiteRecord): SuiteOutcome {
  const { now } = ctx
  const { mirror, suite } = attempt
  const v = rec.verified as VerifiedRelease
  let code: AptErrorCode | undefined
  if (v.validUntil !== undefined && v.validUntil < now) code = 'APT_FROZEN'
  else if (now - v.date > ctx.maxAgeMs(suite)) code = 'APT_STALE'
  const state: MirrorSuiteState = code ? stateForCode(code) : 'ok'
  return {
    mirror,
    suite,
    record: { ...rec, last: { state, code, at: now } },
    state,
    detail: code
      ? detailFor(state, new CoreError(code, code), attempt.url, suite)
      : `Unchanged since last check; signed ${iso(v.date)}.`,
    code,
    url: v.url,
    releaseDate: v.date,
    validUntil: v.validUntil,
    signedBy: v.signedBy,
    notModified: true,
    bytes: attempt.bytes,
  }
}

/** The newest verified Release of each suite from any mirror, and which mirror has it. */
function newestBySuite(
  suites: Readonly<Record<string, SuiteRecord>>,
): Map<string, { readonly date: number; readonly mirrorId: string }> {
  const newest = new Map<string, { date: number; mirrorId: string }>()
  for (const rec of Object.values(suites)) {
    const d = rec.verified?.date
    if (d === undefined) continue
    const cur = newest.get(rec.suite)
    if (!cur || d > cur.date) newest.set(rec.suite, { date: d, mirrorId: rec.mirrorId })
  }
  return newest
}

/** The status of one outcome: `lagging`, with how far, when another mirror has a newer verified Release. */
function statusOf(
  outcome: SuiteOutcome,
  newest: ReadonlyMap<string, { readonly date: number; readonly mirrorId: string }>,
  input: PollInput,
): MirrorSuiteStatus {
  let state = outcome.state
  let detail = outcome.detail
  let lagMs: number | undefined
  const top = newest.get(outcome.suite)
  if (state === 'ok' && outcome.releaseDate !== undefined && top && top.date > outcome.releaseDate) {
    state = 'lagging'
    lagMs = top.date - outcome.releaseDate
    const name = input.mirrors.find((m) => m.id === top.mirrorId)?.name ?? top.mirrorId
    detail = `Verified, but ${describeDuration(lagMs)} behind ${name} (signed ${iso(outcome.releaseDate)}, newest ${iso(top.date)}).`
  }
  const age = outcome.record.verified ? input.now - outcome.record.verified.verifiedAt : undefined
  return {
    mirrorId: outcome.mirror.id,
    mirrorName: outcome.mirror.name,
    url: outcome.url,
    suite: outcome.suite,
    state,
    detail,
    code: outcome.code,
    checkedAt: input.now,
    releaseDate: outcome.releaseDate,
    signedBy: outcome.signedBy,
    validUntil: outcome.validUntil,
    lagMs,
    dataAgeMs: isVerifiedState(state) ? undefined : age,
    notModified: outcome.notModified,
    bytesTransferred: outcome.bytes,
  }
}

/**
 * Polls every mirror × suite and returns their statuses and the state to persist.
 *
 * Never throws a CoreError: each failure becomes that mirror × suite's status, and its last verified data stays in
 * the state (with its age in the detail). Concurrency is bounded by `Limits.net.concurrency`.
 */
export async function pollMirrors(input: PollInput): Promise<PollResult> {
  const indexes = input.ports.indexes ?? createMemoryIndexStore()
  const ctx = createPollContext(
    {
      now: input.now,
      keyring: input.keyring,
      maxAgeMs: input.maxAgeMs ?? maxAgeFor,
      fetcher: input.ports.fetcher,
      decompress: { decompressor: input.ports.decompressor, decompressStream: input.ports.decompressStream },
      indexes,
      signal: input.signal,
    },
    input.previous,
  )
  const pairs = input.mirrors.flatMap((m) => m.suites.map((s) => ({ mirror: m, suite: s })))
  let done = 0
  const outcomes = await mapWithLimit(
    pairs,
    input.concurrency ?? Limits.net.concurrency,
    async ({ mirror, suite }) => {
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
    },
  )

  // Records of mirrors × suites no longer configured are kept: their high-water marks must survive a config
  // round-trip (removing and re-adding a mirror must not reset rollback protection).
  const suites: Record<string, SuiteRecord> = { ...(input.previous ?? emptyMirrorsState()).suites }
  for (const outcome of outcomes) suites[suiteKey(outcome.mirror.id, outcome.suite)] = outcome.record
  const state: MirrorsState = { version: MIRRORS_STATE_VERSION, suites }

  // Lag: compare each verified Release with the newest verified Release of the same suite from any mirror.
  const newest = newestBySuite(suites)
  const statuses = outcomes.map((outcome) => statusOf(outcome, newest, input))
  for (const s of statuses) {
    const k = suiteKey(s.mirrorId, s.suite)
    const rec = suites[k]
    if (rec?.last && rec.last.state !== s.state) suites[k] = { ...rec, last: { ...rec.last, state: s.state } }
  }
  return { statuses, state, bytesTransferred: ctx.bytes, indexes }
}
