/**
 * What the mirror poller remembers between polls (DESIGN.md, "Data"): per mirror × suite, the conditional-GET
 * validators, the rollback high-water mark, the last verified Release and the package versions it vouches for.
 *
 * Plain JSON so the `StateStore` can persist it as is. Everything under `verified` and `indexes` came through the
 * chain pinned key → signed Release → SHA256 of the index (trust model points 2–3); nothing else is stored there.
 */
import type { MirrorSuiteState } from '../model'

/** The `StateStore` name the poller's state is saved under. */
export const MIRRORS_STATE_NAME = 'mirrors'

/** Current shape version of `MirrorsState` (inside the store's own envelope). */
export const MIRRORS_STATE_VERSION = 1

/**
 * One binary package line from a verified Packages index: `[package, architecture, version, source?,
 * sourceVersion?]`. Source fields are left out when they equal the binary's name / version (Debian Policy 5.6.1:
 * `Source` is omitted when it equals `Package`), which keeps a 6,000-package index around 250 KB of JSON.
 */
export type PackageTuple =
  | readonly [name: string, arch: string, version: string]
  | readonly [name: string, arch: string, version: string, source: string]
  | readonly [name: string, arch: string, version: string, source: string, sourceVersion: string]

/** A verified Packages index: the signed hash it matched and the versions it lists. */
export interface IndexRecord {
  /** Component, e.g. `main`. */
  readonly component: string
  readonly arch: string
  /** SHA256 (hex) of the uncompressed index as listed in the signed Release, used to skip unchanged indexes. */
  readonly sha256: string
  readonly size: number
  /** Path, relative to `dists/<suite>/`, of the file actually fetched (e.g. `main/binary-amd64/Packages.xz`). */
  readonly fetchedPath: string
  readonly packages: readonly PackageTuple[]
}

/** The last Release that verified for a mirror × suite. */
export interface VerifiedRelease {
  /** Release `Date` (epoch ms). */
  readonly date: number
  readonly validUntil?: number | undefined
  readonly suite: string
  readonly codename?: string | undefined
  /** Fingerprint of the pinned key behind the accepted signature. */
  readonly signedBy: string
  /** When this poller verified it (epoch ms): the age shown when the mirror later fails. */
  readonly verifiedAt: number
  /** `InRelease`, or `Release` when verified as Release + Release.gpg. */
  readonly file: 'InRelease' | 'Release'
  /** URL the Release was fetched from. */
  readonly url: string
}

/** Everything kept for one mirror × suite. */
export interface SuiteRecord {
  readonly mirrorId: string
  readonly suite: string
  /** Mirror base URL when last polled: a changed URL drops the validators (another server, other ETags). */
  readonly baseUrl: string
  /** HTTP validators of the Release file last verified, for conditional GET. */
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
  /**
   * Newest Release `Date` ever accepted for this mirror and suite (epoch ms). A Release older than this is a
   * rollback (DESIGN.md trust model point 3). It only ever grows, and survives failed polls.
   */
  readonly highWater?: number | undefined
  readonly verified?: VerifiedRelease | undefined
  /** Verified indexes by `<component>/binary-<arch>`. */
  readonly indexes: Readonly<Record<string, IndexRecord>>
  /** Outcome of the latest poll. */
  readonly last?: {
    readonly state: MirrorSuiteState
    readonly code?: string | undefined
    readonly at: number
  }
}

/** The poller's whole state. */
export interface MirrorsState {
  readonly version: typeof MIRRORS_STATE_VERSION
  /** Keyed by `suiteKey(mirrorId, suite)`. */
  readonly suites: Readonly<Record<string, SuiteRecord>>
}

/** The key of a mirror × suite in `MirrorsState.suites`. */
export function suiteKey(mirrorId: string, suite: string): string {
  return `${mirrorId}\u0000${suite}`
}

/** An empty state. */
export function emptyMirrorsState(): MirrorsState {
  return { version: MIRRORS_STATE_VERSION, suites: {} }
}

/**
 * Checks the shape of a state read back from disk; anything else is treated as no state.
 *
 * A cheap structural check (not a full schema): the store already guarantees JSON and a known envelope schema, and
 * every field used for a trust decision (`highWater`, hashes) is re-checked for type where it is used.
 */
export function asMirrorsState(v: unknown): MirrorsState | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as { version?: unknown; suites?: unknown }
  if (o.version !== MIRRORS_STATE_VERSION || typeof o.suites !== 'object' || o.suites === null)
    return undefined
  for (const rec of Object.values(o.suites as Record<string, unknown>)) {
    if (typeof rec !== 'object' || rec === null) return undefined
    const r = rec as { mirrorId?: unknown; suite?: unknown; indexes?: unknown; highWater?: unknown }
    if (typeof r.mirrorId !== 'string' || typeof r.suite !== 'string') return undefined
    if (typeof r.indexes !== 'object' || r.indexes === null) return undefined
    if (r.highWater !== undefined && typeof r.highWater !== 'number') return undefined
  }
  return v as MirrorsState
}

/** A package version a mirror verifiably offers. */
export interface AvailableVersion {
  readonly mirrorId: string
  readonly suite: string
  readonly component: string
  readonly version: string
  /** The binary's architecture as listed (`all` for architecture-independent packages). */
  readonly arch: string
  readonly source: string
  readonly sourceVersion: string
  /** Release `Date` of the Release that vouched for it. */
  readonly releaseDate: number
  /** When that Release was verified; with a failing mirror this shows how old the knowledge is. */
  readonly verifiedAt: number
}

/**
 * Every version of binary package `pkg` for architecture `arch` that a mirror verifiably offers.
 *
 * `Architecture: all` packages are listed in each `binary-<arch>` index (Debian repository format, "Packages
 * Indices") and match any `arch`. Results come from the last verified data of each mirror × suite, including
 * mirrors failing now (check `verifiedAt` for age).
 */
export function availableVersions(
  state: MirrorsState | undefined,
  pkg: string,
  arch: string,
): AvailableVersion[] {
  const out: AvailableVersion[] = []
  if (!state) return out
  for (const rec of Object.values(state.suites)) {
    const rel = rec.verified
    if (!rel) continue
    const seen = new Set<string>()
    for (const idx of Object.values(rec.indexes)) {
      for (const e of idx.packages) {
        if (e[0] !== pkg) continue
        const a = e[1]
        if (a !== arch && a !== 'all') continue
        const key = `${a} ${e[2]}`
        if (seen.has(key)) continue
        seen.add(key)
        out.push({
          mirrorId: rec.mirrorId,
          suite: rec.suite,
          component: idx.component,
          version: e[2],
          arch: a,
          source: e[3] ?? e[0],
          sourceVersion: e[4] ?? e[2],
          releaseDate: rel.date,
          verifiedAt: rel.verifiedAt,
        })
      }
    }
  }
  return out
}
