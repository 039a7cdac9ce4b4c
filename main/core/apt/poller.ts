/**
 * The mirror poller (issue 3, "Mirror poller"; DESIGN.md trust model points 2–3).
 *
 * For each mirror × suite: fetch `dists/<suite>/InRelease` (or `Release` + `Release.gpg`) with a conditional GET,
 * verify it with the pinned archive keys, check it (suite, Date, Valid-Until, maximum age, rollback against the
 * persisted high-water mark), then fetch each configured Packages index whose signed hash changed, check its size
 * and SHA256 against the signed Release before parsing a byte, and keep the versions it lists. An unchanged mirror
 * costs one conditional request per suite. Pure: network and decompression come in through ports.
 */
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import type { MirrorConfig, MirrorSuiteState, MirrorSuiteStatus } from '../model'
import type { Decompressor, FetchResponse, Fetcher } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { verifyDetached } from '../pgp/verify'
import type { Signer } from '../pgp/verify'
import { aptError } from './errors'
import type { IndexRecord, MirrorsState, PackageTuple, SuiteRecord, VerifiedRelease } from './mirror-state'
import { emptyMirrorsState, MIRRORS_STATE_VERSION, suiteKey } from './mirror-state'
import { forEachPackage, indexCandidates, verifyIndexBytes } from './indexes'
import type { IndexCandidate, PackageEntry } from './indexes'
import { checkRelease, maxAgeFor, parseRelease, releaseMatchesSuite } from './release'
import { verifyInRelease } from './signed-release'
import type { ReleaseInfo } from './release'

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
  readonly ports: { readonly fetcher: Fetcher; readonly decompressor: Decompressor }
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
}

/** The mirror status a failure code maps to. */
export function stateForCode(code: string): MirrorSuiteState {
  switch (code) {
    // A Date in the future is, like a passed Valid-Until, a Release whose validity window does not hold `now`.
    case 'APT_FROZEN':
    case 'APT_DATE_IN_FUTURE':
      return 'frozen'
    case 'APT_STALE':
      return 'stale'
    case 'APT_ROLLBACK':
      return 'rolled-back'
    case 'APT_WRONG_SUITE':
      return 'wrong-suite'
    case 'APT_HASH_MISMATCH':
    case 'APT_SIZE_MISMATCH':
    case 'APT_NOT_IN_RELEASE':
    case 'APT_CORRUPT_COMPRESSION':
      return 'hash-mismatch'
    case 'NET_TOO_SLOW':
      return 'too-slow'
    case 'NET_TOO_LARGE':
    case 'APT_TOO_LARGE':
      return 'too-large'
    default:
      if (code.startsWith('PGP_')) return 'bad-signature'
      // Malformed signed metadata cannot be trusted either: it is reported with the signature failures.
      if (code.startsWith('APT_')) return 'bad-signature'
      return 'unreachable'
  }
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

interface JobContext {
  readonly input: PollInput
  bytes: number
}

/** The outcome of one mirror × suite before lag is computed. */
interface JobOutcome {
  readonly mirror: MirrorConfig
  readonly suite: string
  readonly record: SuiteRecord
  readonly state: MirrorSuiteState
  readonly detail: string
  readonly code?: string | undefined
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
      return `The mirror could not be reached (${err?.code ?? 'unknown'}: ${why}).`
    case 'too-slow':
      return `The mirror answered too slowly; the download was stopped.`
    case 'too-large':
      return `The mirror sent more data than allowed for ${url.split('/').pop() ?? 'a file'}; the download was stopped.`
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
    // A conditional GET is only safe when the last poll verified everything this config asks for; otherwise an
    // unchanged Release would hide indexes never fetched (a new component, a failed index).
    const complete =
      start.verified !== undefined &&
      (start.last?.state === 'ok' || start.last?.state === 'lagging') &&
      wanted.every((w) => start.indexes[indexKey(w.component, w.arch)] !== undefined)
    const validators = complete ? { etag: start.etag, lastModified: start.lastModified } : undefined
    let asked = false
    const validatorsFor = (f: 'InRelease' | 'Release') => {
      const v = start.verified?.file === f ? validators : undefined
      asked = v !== undefined
      return v
    }

    let res: FetchResponse
    let file: 'InRelease' | 'Release' = 'InRelease'
    let signatureBytes: Uint8Array | undefined
    try {
      res = await get(ctx, counter, url, Limits.size.releaseBytes, validatorsFor('InRelease'))
    } catch (e) {
      if (!isNotFound(e)) throw e
      // No InRelease: the older Release + detached Release.gpg pair (Debian repository format, "Release.gpg").
      file = 'Release'
      url = `${dist}Release`
      res = await get(ctx, counter, url, Limits.size.releaseBytes, validatorsFor('Release'))
      if (!res.notModified) {
        signatureBytes = (await get(ctx, counter, `${dist}Release.gpg`, Limits.size.signatureBytes)).body
      }
    }

    if (res.notModified) {
      if (asked && start.verified) return unchanged(ctx, mirror, suite, start, url, counter.bytes)
      // A 304 to a request without validators would make us keep data we never asked to keep.
      throw new CoreError('NET_HTTP_STATUS', `304 Not Modified to an unconditional request for ${url}`, {
        url,
        status: 304,
      })
    }

    const verified = await verifyReleaseSignature(res.body, signatureBytes, ctx.input.keyring, now)
    signedBy = verified.signedBy
    release = parseRelease(verified.text)
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
      signedBy: verified.signedBy,
      verifiedAt: now,
      file,
      url: res.finalUrl,
    }
    const record: SuiteRecord = {
      mirrorId: mirror.id,
      suite,
      baseUrl: base,
      etag: res.etag,
      lastModified: res.lastModified,
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
      url: res.finalUrl,
      releaseDate: release.date,
      validUntil: release.validUntil,
      signedBy: verified.signedBy,
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
  let code: string | undefined
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

/**
 * Fetches, checks and parses one Packages index, or reuses `prev` when its signed hash is unchanged.
 *
 * Every byte is checked against the signed Release before it is decompressed or parsed (Debian repository format,
 * "Release files": SHA256 of each index, compressed and uncompressed). The signed size is the download cap, so an
 * inflated or endless index is cut at the first byte too many.
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
  const plain = candidates[0]?.uncompressed
  const signed = plain ?? candidates[0]?.expected
  if (prev && signed && prev.sha256 === signed.sha256 && prev.size === signed.size) return prev

  const got = await fetchSignedIndexText(
    base,
    candidates,
    async (u, maxBytes) => (await get(ctx, counter, u, maxBytes)).body,
    ctx.input.ports.decompressor,
    () => aptError('APT_NOT_IN_RELEASE', `${component}/binary-${arch}/Packages unavailable`),
    setUrl,
  )
  const packages: PackageTuple[] = []
  forEachPackage(got.text, (p) => packages.push(packageTuple(p)))
  return {
    component,
    arch,
    sha256: signed?.sha256 ?? got.candidate.expected.sha256,
    size: signed?.size ?? got.candidate.expected.size,
    fetchedPath: got.candidate.path,
    packages,
  }
}

/** A signed index as fetched by `fetchSignedIndexText`: its text, the candidate used and the URL it came from. */
export interface SignedIndexText {
  readonly text: string
  readonly candidate: IndexCandidate
  readonly url: string
}

/**
 * Fetches one index listed in a verified Release (a Packages or Sources file): the candidates in preference
 * order (`indexCandidates`), each by-hash first then by name, as apt does when the by-hash file is missing.
 *
 * The signed size is the download cap, the bytes must match the signed SHA256 before they are decompressed
 * (within the signed uncompressed size), and the decompressed bytes must match the signed uncompressed hash
 * when the Release lists it (Debian repository format, "MD5Sum, SHA1, SHA256"). Shared by the poller and the
 * archive evidence chain. `fetch` failing with NET_NOT_FOUND moves on to the next URL; every other failure is
 * thrown, with the URL added to the details of check failures. When no candidate could be fetched, the last
 * error (or `unavailable()`) is thrown. `onUrl` is told each URL as it is tried.
 */
export async function fetchSignedIndexText(
  base: string,
  candidates: readonly IndexCandidate[],
  fetch: (url: string, maxBytes: number) => Promise<Uint8Array>,
  decompressor: Decompressor,
  unavailable: () => CoreError,
  onUrl?: (url: string) => void,
): Promise<SignedIndexText> {
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
      let data = body
      const plain = c.uncompressed
      if (c.compression !== 'none') {
        const format = c.compression
        data = await withUrl(u, () => decompressor(format, body, plain?.size ?? Limits.size.indexBytes))
        // Defence in depth: the decompressed bytes must also match the signed uncompressed hash when listed.
        if (plain) await withUrl(u, () => verifyIndexBytes(data, plain))
      }
      try {
        return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), candidate: c, url: u }
      } catch {
        throw aptError('APT_PARSE', `${c.path} is not valid UTF-8`, { url: u })
      }
    }
  }
  throw lastErr instanceof CoreError ? lastErr : unavailable()
}

/** Runs `fn`, adding `url` to the details of a CoreError it throws (the evidence shown with the status). */
async function withUrl<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof CoreError && e.details.url === undefined) {
      throw new CoreError(e.code, e.message, { ...e.details, url })
    }
    throw e
  }
}

/** The compact state form of a parsed package, leaving out source fields equal to the binary's. */
function packageTuple(p: PackageEntry): PackageTuple {
  if (p.sourceVersion !== p.version) return [p.package, p.architecture, p.version, p.source, p.sourceVersion]
  if (p.source !== p.package) return [p.package, p.architecture, p.version, p.source]
  return [p.package, p.architecture, p.version]
}

/**
 * Polls every mirror × suite and returns their statuses and the state to persist.
 *
 * Never throws a CoreError: each failure becomes that mirror × suite's status, and its last verified data stays in
 * the state (with its age in the detail). Concurrency is bounded by `Limits.net.concurrency`.
 */
export async function pollMirrors(input: PollInput): Promise<PollResult> {
  const ctx: JobContext = { input, bytes: 0 }
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
  return { statuses, state, bytesTransferred: ctx.bytes }
}

/**
 * Verifies a Release signature with the pinned archive keys; returns only the signed text.
 *
 * InRelease is clearsigned (`detached` undefined); Release comes with `Release.gpg`. Only the text inside the
 * verified block moves on (CONVENTIONS.md rule 3: parse only what openpgp returns as signed).
 */
async function verifyReleaseSignature(
  body: Uint8Array,
  detached: Uint8Array | undefined,
  keyring: Keyring,
  now: number,
): Promise<{ text: string; signedBy: string }> {
  const opts = { role: 'archive' as const, now }
  if (detached === undefined) {
    const v = await verifyInRelease(body, keyring, now)
    return { text: v.signedText, signedBy: firstSigner(v.signers) }
  }
  const v = await verifyDetached(body, detached, keyring, opts)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(v.signedBytes)
  } catch {
    throw aptError('APT_PARSE', 'Release is not valid UTF-8 text')
  }
  return { text, signedBy: firstSigner(v.signers) }
}

function firstSigner(signers: readonly Signer[]): string {
  // verify* guarantees at least one accepted signature; an empty list would be a bug there, so fail closed.
  const s = signers[0]
  if (!s) throw new CoreError('PGP_NO_SIGNATURE', 'no accepted signature')
  return s.fingerprint
}
