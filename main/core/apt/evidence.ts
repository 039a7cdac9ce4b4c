/**
 * Archive-confirmed CVE evidence (docs/trust.md, "archive-confirmed").
 *
 * The chain, every hop checked before the next byte is used:
 *   pinned archive key → InRelease (or Release + Release.gpg) → SHA256 of `<component>/source/Sources[.xz|.gz]`
 *   → `Checksums-Sha256` of the source package's `.debian.tar.xz` (or 1.0-format `.diff.gz`)
 *   → `debian/changelog` → the CVE ids each upload names.
 * So "source S version V fixes CVE C" becomes a statement signed by the archive, with no advisory website at all.
 *
 * Pure: network, decompression and time come in through ports. A changelog read for a source version is immutable
 * (the archive never re-uses a version: Debian Policy 5.6.12), so results are cached by source + version in a
 * `SourceEvidenceState` and each one is fetched once. The check pipeline (main/core/check/archive-evidence.ts)
 * decides which source versions to ask for and runs the assessment; this module only establishes evidence.
 */
import { mapWithLimit } from '../concurrency'
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import type { Advisory } from '../advisories/model'
import type { ArchiveCveEvidence } from '../assess/types'
import type { Decompressor, Fetcher } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { fetchArchiveFile } from './archive-fetch'
import { fetchSignedRelease, withUrl } from './release-fetch'
import {
  changelogFromDebianTar,
  changelogFromDiff,
  changelogFromSourceTar,
  parseChangelog,
} from './changelog'
import { aptError } from './errors'
import { indexCandidates, parseSources, verifyIndexBytes } from './indexes'
import type { SourceEntry, SourceFile } from './indexes'
import type { MirrorsState, SuiteRecord } from './mirror-state'
import { suiteKey } from './mirror-state'
import { fetchSignedIndexText } from './index-fetch'
import { checkRelease, parseRelease } from './release'
import type { ReleaseInfo } from './release'
import { compareDebianVersions, isValidDebianVersion } from './version'
import type { ErrorCodeOf } from '../error-codes'

/** Failures specific to the evidence chain (the hops themselves throw APT_*, PGP_* and NET_* codes). */
export type EvidenceErrorCode = ErrorCodeOf<'evidence'>

/** The ports and trust anchors the chain needs. */
export interface EvidencePorts {
  readonly fetcher: Fetcher
  readonly decompressor: Decompressor
  readonly keyring: Keyring
  /** The check's one reference time (epoch ms). */
  readonly now: number
  readonly signal?: AbortSignal | undefined
}

/** One changelog entry that names CVEs. */
export interface ChangelogCves {
  readonly version: string
  readonly cves: readonly string[]
}

/** The cached reading of one source version's changelog: immutable once the artifact's signed hash matched. */
export interface SourceChangelogRecord {
  /** Source package name as the Sources index lists it. */
  readonly source: string
  readonly version: string
  /** Signed SHA256 of the artifact the changelog came from. */
  readonly sha256: string
  /** Artifact file name, e.g. `sudo_1.9.13p3-1+deb12u2.debian.tar.xz`. */
  readonly file: string
  /** Where the Sources index vouching for it was verified: `mirrorId`, suite and component. */
  readonly mirrorId: string
  readonly suite: string
  readonly component: string
  /** CVE-naming entries, newest first, at most Limits.evidence.maxEntriesPerSource. */
  readonly entries: readonly ChangelogCves[]
  /** When it was read (epoch ms). */
  readonly at: number
}

/** The `StateStore` name of the evidence cache. */
export const SOURCE_EVIDENCE_STATE_NAME = 'source-evidence'

/** Shape version of `SourceEvidenceState`. */
export const SOURCE_EVIDENCE_STATE_VERSION = 1

/** Cached changelog evidence, keyed by `evidenceKey(source, version)`. */
export interface SourceEvidenceState {
  readonly version: typeof SOURCE_EVIDENCE_STATE_VERSION
  readonly records: Readonly<Record<string, SourceChangelogRecord>>
  /**
   * The last failed attempt per source version (never trusted as evidence: only used to order the next attempts,
   * so a few permanently failing sources cannot starve the rest of the per-check budget).
   */
  readonly attempts?: Readonly<Record<string, { readonly code: string; readonly at: number }>> | undefined
}

/** The cache key of a source version. */
export function evidenceKey(source: string, version: string): string {
  return `${source}\u0000${version}`
}

/**
 * Checks the shape of a cache read back from disk; anything else counts as no cache.
 *
 * Each record is checked field by field: a CVE id in the cache is later shown as archive-confirmed, so a malformed
 * record is dropped rather than trusted.
 */
export function asSourceEvidenceState(v: unknown): SourceEvidenceState | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as { version?: unknown; records?: unknown; attempts?: unknown }
  if (o.version !== SOURCE_EVIDENCE_STATE_VERSION || typeof o.records !== 'object' || o.records === null) {
    return undefined
  }
  const records: Record<string, SourceChangelogRecord> = {}
  for (const [k, r] of Object.entries(o.records as Record<string, unknown>)) {
    if (isRecord(r) && k === evidenceKey(r.source, r.version)) records[k] = r
  }
  const attempts: Record<string, { code: string; at: number }> = {}
  if (typeof o.attempts === 'object' && o.attempts !== null) {
    for (const [k, a] of Object.entries(o.attempts as Record<string, unknown>)) {
      const x = a as { code?: unknown; at?: unknown } | null
      if (x && typeof x.code === 'string' && typeof x.at === 'number')
        attempts[k] = { code: x.code, at: x.at }
    }
  }
  return { version: SOURCE_EVIDENCE_STATE_VERSION, records, attempts }
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/

function isRecord(r: unknown): r is SourceChangelogRecord {
  if (typeof r !== 'object' || r === null) return false
  const x = r as Record<string, unknown>
  const str = (k: string): boolean => typeof x[k] === 'string'
  if (!['source', 'version', 'sha256', 'file', 'mirrorId', 'suite', 'component'].every(str)) return false
  if (typeof x.at !== 'number' || !Array.isArray(x.entries)) return false
  if (!isValidDebianVersion(x.version as string)) return false
  return (x.entries as unknown[]).every((e) => {
    if (typeof e !== 'object' || e === null) return false
    const en = e as { version?: unknown; cves?: unknown }
    return (
      typeof en.version === 'string' &&
      isValidDebianVersion(en.version) &&
      Array.isArray(en.cves) &&
      en.cves.every((c) => typeof c === 'string' && CVE_ID.test(c))
    )
  })
}

/**
 * The CVEs that the uploads after `sinceVersion` up to the record's version name (dpkg ordering): "installing
 * this version fixes these", as the signed archive states it.
 */
export function evidenceSince(
  rec: SourceChangelogRecord,
  sinceVersion: string | undefined,
): ArchiveCveEvidence {
  const cves = new Set<string>()
  for (const e of rec.entries) {
    if (compareDebianVersions(e.version, rec.version) > 0) continue
    if (sinceVersion !== undefined && compareDebianVersions(e.version, sinceVersion) <= 0) continue
    for (const c of e.cves) cves.add(c)
  }
  return { source: rec.source, version: rec.version, cves: [...cves].sort() }
}

// ---------------------------------------------------------------------------------------------------------------
// The hops

async function fetchBytes(ports: EvidencePorts, url: string, maxBytes: number): Promise<Uint8Array> {
  return (await fetchArchiveFile(ports.fetcher, { url, maxBytes, signal: ports.signal })).body
}

/**
 * Fetches the Release of a mirror × suite the poller verified, and verifies it again: signature by a pinned
 * `archive` key, suite, Date/Valid-Until, and not older than the poller's high-water mark (docs/trust.md, point 3).
 *
 * The poller keeps only the Packages hashes; the Sources hash needs the Release itself. A newer Release than the
 * one polled is fine (the mirror moved on); an older one is APT_ROLLBACK. Throws EVIDENCE_NO_VERIFIED_RELEASE,
 * PGP_*, APT_* and NET_* codes.
 */
export async function fetchVerifiedRelease(rec: SuiteRecord, ports: EvidencePorts): Promise<ReleaseInfo> {
  const v = rec.verified
  if (v === undefined) {
    throw new CoreError<EvidenceErrorCode>(
      'EVIDENCE_NO_VERIFIED_RELEASE',
      `${rec.mirrorId} ${rec.suite} has no verified Release`,
      { mirrorId: rec.mirrorId, suite: rec.suite },
    )
  }
  // The one Release fetch-and-verify (release-fetch.ts), for the file the poller verified.
  const got = await fetchSignedRelease({
    dist: `${rec.baseUrl}/dists/${rec.suite}/`,
    fetch: (url, maxBytes) => fetchArchiveFile(ports.fetcher, { url, maxBytes, signal: ports.signal }),
    keyring: ports.keyring,
    now: ports.now,
    file: v.file,
  })
  // Without validators a 304 is refused by fetchSignedRelease; this only narrows the type.
  if (got.notModified) throw new CoreError('NET_HTTP_STATUS', `304 for ${got.url}`, { url: got.url })
  const text = got.text
  const release = parseRelease(text)
  checkRelease(release, {
    expectedSuite: rec.suite,
    now: ports.now,
    highWaterDate: Math.max(rec.highWater ?? 0, v.date),
    // The poller already judged this mirror's age; a Release at least as new as that one is as fresh.
    maxAgeMs: Number.MAX_SAFE_INTEGER,
  })
  return release
}

/**
 * Fetches `<component>/source/Sources` (`.xz`, `.gz` or plain, by-hash when the Release offers it), checks its size
 * and SHA256 against the signed Release before decompressing or parsing a byte, and parses it (Debian repository
 * format, "Sources Indices"). A missing file falls through to the next form, as apt does; a wrong one throws
 * APT_SIZE_MISMATCH / APT_HASH_MISMATCH. Throws APT_NOT_IN_RELEASE when the Release lists no Sources index.
 */
export async function fetchSourcesIndex(
  baseUrl: string,
  suite: string,
  release: ReleaseInfo,
  component: string,
  ports: EvidencePorts,
): Promise<SourceEntry[]> {
  const base = baseUrl.replace(/\/+$/, '')
  const got = await fetchSignedIndexText({
    base,
    candidates: indexCandidates(release, component, 'source', suite),
    fetch: (u, maxBytes) => withUrl(u, () => fetchBytes(ports, u, maxBytes)),
    decompressor: ports.decompressor,
    unavailable: () =>
      aptError('APT_NOT_IN_RELEASE', `${component}/source/Sources unavailable`, {
        path: `${component}/source/Sources`,
      }),
  })
  return withUrl(got.url, async () => parseSources(got.text))
}

/**
 * The file of a source package that holds `debian/changelog`: the 3.0 (quilt) `.debian.tar.xz`/`.gz`/`.bz2` (bzip2's
 * own source uses `.bz2`), else the 1.0 `.diff.gz`, else, for a native package, the whole source tarball
 * `<package>_<version>.tar.xz`/`.gz`/`.bz2` (read within Limits.size.sourceArtifactBytes like the others).
 * Undefined otherwise.
 */
export function changelogArtifact(entry: SourceEntry): SourceFile | undefined {
  const native = `${entry.package}_${entry.version.replace(/^\d+:/, '')}.tar.`
  return (
    entry.files.find((f) => f.name.endsWith('.debian.tar.xz')) ??
    entry.files.find((f) => f.name.endsWith('.debian.tar.gz')) ??
    entry.files.find((f) => f.name.endsWith('.debian.tar.bz2')) ??
    entry.files.find((f) => f.name.endsWith('.diff.gz')) ??
    entry.files.find((f) => f.name === `${native}xz`) ??
    entry.files.find((f) => f.name === `${native}gz`) ??
    entry.files.find((f) => f.name === `${native}bz2`)
  )
}

/** True for a native source tarball (the whole tree, not a `.debian.tar`). */
function isNativeTarball(entry: SourceEntry, file: SourceFile): boolean {
  return (
    !file.name.includes('.debian.tar.') &&
    /\.tar\.(xz|gz|bz2)$/.test(file.name) &&
    file.name.startsWith(`${entry.package}_`)
  )
}

/**
 * Fetches a source package's changelog artifact from `<base>/<Directory>/<file>`, checks its size and SHA256
 * against the verified Sources entry before decompressing it, and reads the CVEs each changelog entry names.
 * Throws EVIDENCE_NO_CHANGELOG_FILE, APT_SIZE_MISMATCH, APT_HASH_MISMATCH, APT_TOO_LARGE, APT_BAD_TAR,
 * APT_TAR_MEMBER_NOT_FOUND, APT_BAD_CHANGELOG and NET_* codes.
 */
export async function readSourceChangelog(
  baseUrl: string,
  entry: SourceEntry,
  where: { readonly mirrorId: string; readonly suite: string; readonly component: string },
  ports: EvidencePorts,
): Promise<SourceChangelogRecord> {
  const file = changelogArtifact(entry)
  if (file === undefined) {
    throw new CoreError<EvidenceErrorCode>(
      'EVIDENCE_NO_CHANGELOG_FILE',
      `${entry.package} ${entry.version} has no .debian.tar.xz/.gz/.bz2, .diff.gz or native source tarball`,
      { source: entry.package, version: entry.version },
    )
  }
  if (file.size > Limits.size.sourceArtifactBytes) {
    throw aptError('APT_TOO_LARGE', `${file.name} is ${file.size} bytes, over the cap`, { path: file.name })
  }
  const url = `${baseUrl.replace(/\/+$/, '')}/${entry.directory}/${file.name}`
  const text = await withUrl(url, async () => {
    const bytes = await fetchBytes(ports, url, file.size)
    // Debian repository format, "Sources Indices": Checksums-Sha256 vouches for each file; checked first.
    await verifyIndexBytes(bytes, file)
    if (file.name.endsWith('.diff.gz')) {
      const diff = await ports.decompressor('gz', bytes, Limits.size.sourceArtifactBytes * 8)
      return changelogFromDiff(new TextDecoder('utf-8').decode(diff))
    }
    const format = file.name.endsWith('.xz') ? 'xz' : file.name.endsWith('.bz2') ? 'bz2' : 'gz'
    const tar = await ports.decompressor(format, bytes, Limits.size.sourceArtifactBytes * 8)
    return isNativeTarball(entry, file) ? changelogFromSourceTar(tar) : changelogFromDebianTar(tar)
  })
  const entries: ChangelogCves[] = []
  for (const e of parseChangelog(text)) {
    if (e.cves.length === 0) continue
    entries.push({ version: e.version, cves: e.cves.filter((c) => CVE_ID.test(c)) })
    if (entries.length >= Limits.evidence.maxEntriesPerSource) break
  }
  return {
    source: entry.package,
    version: entry.version,
    sha256: file.sha256,
    file: file.name,
    mirrorId: where.mirrorId,
    suite: where.suite,
    component: where.component,
    entries,
    at: ports.now,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One check's worth

/** A source version to get evidence for, and where the verified archive offers it. */
export interface EvidenceTarget {
  /** Source package name as the archive's Sources index lists it. */
  readonly source: string
  /** The source version the archive offers (the fix). */
  readonly version: string
  /** The installed source version: evidence covers the uploads after it. */
  readonly sinceVersion?: string | undefined
  readonly mirrorId: string
  readonly suite: string
  readonly component: string
  /** Named by an advisory: fetched before the others when the per-check budget is short. */
  readonly advisory?: boolean | undefined
}

/** A target whose evidence could not be established, with the code of the failing hop. */
export interface EvidenceProblem {
  readonly source: string
  readonly version: string
  readonly mirrorId: string
  readonly suite: string
  readonly code: string
  readonly message: string
}

/** Input of `gatherArchiveEvidence`. */
export interface GatherEvidenceInput {
  readonly targets: readonly EvidenceTarget[]
  /** The poller's state: the verified Release of each mirror × suite (docs/trust.md, point 2). */
  readonly mirrors: MirrorsState | undefined
  readonly cache: SourceEvidenceState | undefined
  readonly ports: EvidencePorts
  /** Uncached source versions fetched in this call; default Limits.evidence.maxSourcesPerCheck. 0: cache only. */
  readonly maxFetches?: number | undefined
}

/** Output of `gatherArchiveEvidence`. */
export interface GatherEvidenceResult {
  /** One per target with a record (cached or fetched), CVEs limited to the uploads after `sinceVersion`. */
  readonly evidence: readonly ArchiveCveEvidence[]
  /** The cache to persist (name SOURCE_EVIDENCE_STATE_NAME). */
  readonly state: SourceEvidenceState
  readonly problems: readonly EvidenceProblem[]
  /** Source versions fetched now (the rest came from the cache). */
  readonly fetched: number
  /** Targets left for a later check because the per-check budget was spent. */
  readonly deferred: number
}

/** A failed attempt at a source version: never evidence, only used to order the next attempts. */
type EvidenceAttempt = { readonly code: string; readonly at: number }

/** One call's working state: what it has read and what failed, and the Releases and Sources it fetched (once each). */
interface EvidenceRun {
  readonly ports: EvidencePorts
  readonly mirrors: MirrorsState | undefined
  readonly records: Record<string, SourceChangelogRecord>
  readonly attempts: Record<string, EvidenceAttempt>
  readonly problems: EvidenceProblem[]
  fetched: number
  /** One Release per mirror × suite, however many targets share it. */
  readonly releases: Map<string, Promise<ReleaseInfo>>
  /** One Sources index per mirror × suite × component, fetched at most once, whatever asks for it. */
  readonly sourceIndexes: Map<string, Promise<Map<string, SourceEntry>>>
}

/** What one call does: each target once, those to fetch now in order, and how many wait for a later check. */
interface EvidencePlan {
  /** Each source version once (an advisory-named copy wins), in the order first seen. */
  readonly unique: readonly EvidenceTarget[]
  readonly toFetch: readonly EvidenceTarget[]
  readonly deferred: number
}

/**
 * Establishes archive-confirmed CVE evidence for `targets`: from the cache when the source version was read
 * before, otherwise through the signed chain, at most `maxFetches` source versions per call (advisory-named ones
 * first). Never throws a CoreError: a failing hop becomes a problem and the rest carry on; failures are not cached,
 * so the next check tries again.
 */
export async function gatherArchiveEvidence(input: GatherEvidenceInput): Promise<GatherEvidenceResult> {
  const run: EvidenceRun = {
    ports: input.ports,
    mirrors: input.mirrors,
    records: { ...(input.cache?.records ?? {}) },
    attempts: { ...(input.cache?.attempts ?? {}) },
    problems: [],
    fetched: 0,
    releases: new Map(),
    sourceIndexes: new Map(),
  }
  const plan = planEvidence(run, input.targets, input.maxFetches ?? Limits.evidence.maxSourcesPerCheck)
  for (const group of groupBySourcesIndex(plan.toFetch)) await gatherGroup(run, group)
  const evidence: ArchiveCveEvidence[] = []
  for (const target of plan.unique) {
    const record = run.records[evidenceKey(target.source, target.version)]
    if (record) evidence.push(evidenceSince(record, target.sinceVersion))
  }
  return {
    evidence,
    state: {
      version: SOURCE_EVIDENCE_STATE_VERSION,
      records: keepNewest(run.records),
      attempts: keepNewest(run.attempts),
    },
    problems: run.problems,
    fetched: run.fetched,
    deferred: plan.deferred,
  }
}

/**
 * Which targets to fetch now: the uncached ones, advisory-named first, then never-tried before recently failed (so
 * failures rotate to the back of the queue), at most `budget` of them.
 */
function planEvidence(run: EvidenceRun, targets: readonly EvidenceTarget[], budget: number): EvidencePlan {
  const unique = new Map<string, EvidenceTarget>()
  for (const target of targets) {
    const k = evidenceKey(target.source, target.version)
    const prev = unique.get(k)
    if (!prev || (target.advisory && !prev.advisory)) unique.set(k, target)
  }
  const lastTry = (target: EvidenceTarget): number =>
    run.attempts[evidenceKey(target.source, target.version)]?.at ?? -1
  const missing = [...unique.values()]
    .filter((target) => run.records[evidenceKey(target.source, target.version)] === undefined)
    .sort(
      (a, b) =>
        Number(b.advisory ?? false) - Number(a.advisory ?? false) ||
        lastTry(a) - lastTry(b) ||
        cmpStr(a.source, b.source),
    )
  const toFetch = missing.slice(0, Math.max(0, budget))
  return { unique: [...unique.values()], toFetch, deferred: missing.length - toFetch.length }
}

/** Targets grouped by mirror × suite × component: one Release and one Sources index serve each group. */
function groupBySourcesIndex(targets: readonly EvidenceTarget[]): EvidenceTarget[][] {
  const groups = new Map<string, EvidenceTarget[]>()
  for (const target of targets) {
    const groupKey = `${target.mirrorId}\u0000${target.suite}\u0000${target.component}`
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), target])
  }
  return [...groups.values()]
}

/** Records why a target has no evidence (its code orders the next attempts); anything but a CoreError is a bug. */
function recordProblem(run: EvidenceRun, target: EvidenceTarget, e: unknown): void {
  if (!isCoreError(e)) throw e
  run.attempts[evidenceKey(target.source, target.version)] = { code: e.code, at: run.ports.now }
  run.problems.push({
    source: target.source,
    version: target.version,
    mirrorId: target.mirrorId,
    suite: target.suite,
    code: e.code,
    message: e.message,
  })
}

/** A group's verified Release, and the Sources index of its component (or why that could not be read). */
interface GroupSources {
  readonly rec: SuiteRecord
  readonly release: ReleaseInfo
  readonly home: ReadonlyMap<string, SourceEntry> | undefined
  readonly homeError: unknown
}

/** Reads the evidence of one group's targets: its Release first (a failure there is every target's problem). */
async function gatherGroup(run: EvidenceRun, group: readonly EvidenceTarget[]): Promise<void> {
  const first = group[0] as EvidenceTarget
  let verified: { readonly rec: SuiteRecord; readonly release: ReleaseInfo }
  try {
    verified = await verifiedReleaseFor(run, first)
  } catch (e) {
    for (const target of group) recordProblem(run, target, e)
    return
  }
  let home: ReadonlyMap<string, SourceEntry> | undefined
  let homeError: unknown
  try {
    home = await sourcesOf(run, verified, first.component)
  } catch (e) {
    // The binary's component may have no Sources index of its own: the others are tried before giving up.
    if (!isCoreError(e)) throw e
    homeError = e
  }
  const sources: GroupSources = { ...verified, home, homeError }
  await mapWithLimit(group, Limits.net.concurrency, (target) => readTarget(run, sources, target))
}

/** The verified Release of a target's mirror × suite, fetched once per call (EVIDENCE_NO_VERIFIED_RELEASE when never polled). */
async function verifiedReleaseFor(
  run: EvidenceRun,
  target: EvidenceTarget,
): Promise<{ readonly rec: SuiteRecord; readonly release: ReleaseInfo }> {
  const key = suiteKey(target.mirrorId, target.suite)
  const rec = run.mirrors?.suites[key]
  if (!rec) {
    throw new CoreError<EvidenceErrorCode>(
      'EVIDENCE_NO_VERIFIED_RELEASE',
      `${target.mirrorId} ${target.suite} was never verified`,
    )
  }
  let pending = run.releases.get(key)
  if (!pending) {
    pending = fetchVerifiedRelease(rec, run.ports)
    run.releases.set(key, pending)
  }
  return { rec, release: await pending }
}

/** The verified Sources index of one component, by source key, fetched at most once per call. */
function sourcesOf(
  run: EvidenceRun,
  where: { readonly rec: SuiteRecord; readonly release: ReleaseInfo },
  component: string,
): Promise<Map<string, SourceEntry>> {
  const { rec, release } = where
  const k = `${rec.mirrorId}\u0000${rec.suite}\u0000${component}`
  let got = run.sourceIndexes.get(k)
  if (!got) {
    got = fetchSourcesIndex(rec.baseUrl, rec.suite, release, component, run.ports).then(
      (entries) => new Map(entries.map((e) => [evidenceKey(e.package, e.version), e])),
    )
    run.sourceIndexes.set(k, got)
  }
  return got
}

/** Reads one target's changelog through its verified Sources entry; a failing hop becomes its problem. */
async function readTarget(run: EvidenceRun, sources: GroupSources, target: EvidenceTarget): Promise<void> {
  try {
    const found = await locateSource(run, sources, target)
    if (!found) {
      throw new CoreError<EvidenceErrorCode>(
        'EVIDENCE_SOURCE_NOT_FOUND',
        `${target.source} ${target.version} is not in the verified Sources index of ${target.suite}`,
      )
    }
    const record = await readSourceChangelog(
      sources.rec.baseUrl,
      found.entry,
      { mirrorId: target.mirrorId, suite: target.suite, component: found.component },
      run.ports,
    )
    run.records[evidenceKey(record.source, record.version)] = record
    delete run.attempts[evidenceKey(record.source, record.version)]
    run.fetched++
  } catch (e) {
    recordProblem(run, target, e)
  }
}

/**
 * The source's own component, from the Sources indexes: a binary can sit in another component than its source
 * (universe binaries built from a main source), so the other components the signed Release lists are read
 * when the binary's component does not list the source.
 */
async function locateSource(
  run: EvidenceRun,
  sources: GroupSources,
  target: EvidenceTarget,
): Promise<{ readonly entry: SourceEntry; readonly component: string } | undefined> {
  const k = evidenceKey(target.source, target.version)
  const here = sources.home?.get(k)
  if (here) return { entry: here, component: target.component }
  // Debian's security archive lists `updates/main` but keeps the indexes under `main/`: the last segment.
  const components = [...new Set(sources.release.components.map((c) => c.slice(c.lastIndexOf('/') + 1)))]
  for (const component of components) {
    if (component === target.component) continue
    let other: Map<string, SourceEntry>
    try {
      other = await sourcesOf(run, sources, component)
    } catch (e) {
      // A component whose Sources the mirror does not serve (or serves wrongly) cannot vouch for anything:
      // the source counts as not found there, and the target reports EVIDENCE_SOURCE_NOT_FOUND.
      if (!isCoreError(e)) throw e
      continue
    }
    const entry = other.get(k)
    if (entry) return { entry, component }
  }
  if (sources.homeError !== undefined) throw sources.homeError
  return undefined
}

/** Keeps the newest Limits.evidence.maxCachedSources entries (cached records, or failed attempts), by `at`. */
function keepNewest<V extends { readonly at: number }>(entries: Record<string, V>): Record<string, V> {
  const keys = Object.keys(entries)
  if (keys.length <= Limits.evidence.maxCachedSources) return entries
  keys.sort((a, b) => (entries[b]?.at ?? 0) - (entries[a]?.at ?? 0) || cmpStr(a, b))
  const out: Record<string, V> = {}
  for (const k of keys.slice(0, Limits.evidence.maxCachedSources)) {
    const v = entries[k]
    if (v) out[k] = v
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Raising advisories

/**
 * The CVEs of `advisory` that the signed archive confirms for release `codename`: for one of its source fixes
 * (name S, fixed version V), a cached changelog of S at a version ≥ V has an entry at or below V naming the CVE —
 * i.e. the archive itself says V includes that fix (docs/trust.md, point 5). Empty when nothing confirms it.
 */
export function archiveConfirmedCves(
  advisory: Advisory,
  codename: string,
  cache: SourceEvidenceState | undefined,
): string[] {
  if (!cache || advisory.cves.length === 0) return []
  const wanted = new Set(advisory.cves)
  const bySource = new Map<string, SourceChangelogRecord[]>()
  for (const r of Object.values(cache.records)) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r])
  const out = new Set<string>()
  for (const rel of advisory.releases) {
    if (rel.codename !== codename) continue
    for (const fix of rel.sources) {
      const v = fix.fixedVersion
      if (v === undefined || !isValidDebianVersion(v)) continue
      for (const r of bySource.get(fix.name) ?? []) {
        if (compareDebianVersions(r.version, v) < 0) continue
        for (const e of r.entries) {
          if (compareDebianVersions(e.version, v) > 0) continue
          for (const c of e.cves) if (wanted.has(c)) out.add(c)
        }
      }
    }
  }
  return [...out].sort()
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
