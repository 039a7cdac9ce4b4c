/**
 * What the mirror poller remembers between polls (docs/trust.md, "Mirrors"): per mirror × suite, the conditional-GET
 * validators, the rollback high-water mark, the last verified Release and references to the indexes it vouches
 * for. The indexes themselves are stored once each, by the SHA256 the signed Release names for them, in the
 * `IndexStore` (`main/core/ports.ts`): ten mirrors serving the same bytes cost one copy (`mirror-store.ts`).
 *
 * Plain JSON so the `StateStore` can persist it as is. Everything under `verified` and `indexes` came through the
 * chain pinned key → signed Release → SHA256 of the index (docs/trust.md, points 2–3); nothing else is stored there.
 */
import type { MirrorSuiteState } from '../model'
import type { PackageTuple } from './compact-index'

export type { PackageTuple } from './compact-index'

/** The `StateStore` name the poller's state is saved under. */
export const MIRRORS_STATE_NAME = 'mirrors'

/**
 * Current shape version of `MirrorsState` (inside the store's own envelope). 1 kept every index's packages
 * inline; 2 keeps references to content-addressed pieces (`migrateMirrorsState` upgrades 1).
 */
export const MIRRORS_STATE_VERSION = 2

/** A verified Packages index: the signed hash it matched and where its compact piece is. */
export interface IndexRecord {
  /** Component, e.g. `main`. */
  readonly component: string
  readonly arch: string
  /**
   * SHA256 (hex) of the index as listed in the signed Release (the uncompressed one when listed), used to skip
   * unchanged indexes; also the key of its compact piece in the `IndexStore`.
   */
  readonly sha256: string
  readonly size: number
  /** Path, relative to `dists/<suite>/`, of the index file the Release names (e.g. `main/binary-amd64/Packages.xz`). */
  readonly fetchedPath: string
  /** Packages the piece lists. */
  readonly entries: number
  /** SHA256 and size of the compact piece itself, checked on every read: a damaged piece costs only itself. */
  readonly compactSha256: string
  readonly compactBytes: number
}

/** Version 1's index record, with its packages inline (read only, to migrate). */
export interface IndexRecordV1 {
  readonly component: string
  readonly arch: string
  readonly sha256: string
  readonly size: number
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
   * rollback (docs/trust.md). It only ever grows, and survives failed polls.
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
  if (!isStateOfVersion(v, MIRRORS_STATE_VERSION)) return undefined
  for (const rec of Object.values(v.suites)) {
    for (const idx of Object.values((rec as { indexes: Record<string, unknown> }).indexes)) {
      if (typeof idx !== 'object' || idx === null) return undefined
      const i = idx as Partial<Record<keyof IndexRecord, unknown>>
      if (typeof i.sha256 !== 'string' || typeof i.compactSha256 !== 'string') return undefined
      if (typeof i.component !== 'string' || typeof i.arch !== 'string') return undefined
    }
  }
  return v as unknown as MirrorsState
}

/** Version 1 of the whole state (read only, to migrate). */
export interface MirrorsStateV1 {
  readonly version: 1
  readonly suites: Readonly<
    Record<string, Omit<SuiteRecord, 'indexes'> & { readonly indexes: Record<string, IndexRecordV1> }>
  >
}

/** Checks the shape of a version 1 state (packages inline), for the migration. */
export function asMirrorsStateV1(v: unknown): MirrorsStateV1 | undefined {
  if (!isStateOfVersion(v, 1)) return undefined
  for (const rec of Object.values(v.suites)) {
    for (const idx of Object.values((rec as { indexes: Record<string, unknown> }).indexes)) {
      if (typeof idx !== 'object' || idx === null) return undefined
      const i = idx as Partial<Record<keyof IndexRecordV1, unknown>>
      if (typeof i.sha256 !== 'string' || !Array.isArray(i.packages)) return undefined
    }
  }
  return v as unknown as MirrorsStateV1
}

function isStateOfVersion(
  v: unknown,
  version: number,
): v is { version: number; suites: Record<string, unknown> } {
  if (typeof v !== 'object' || v === null) return false
  const o = v as { version?: unknown; suites?: unknown }
  if (o.version !== version || typeof o.suites !== 'object' || o.suites === null) return false
  for (const rec of Object.values(o.suites as Record<string, unknown>)) {
    if (typeof rec !== 'object' || rec === null) return false
    const r = rec as { mirrorId?: unknown; suite?: unknown; indexes?: unknown; highWater?: unknown }
    if (typeof r.mirrorId !== 'string' || typeof r.suite !== 'string') return false
    if (typeof r.indexes !== 'object' || r.indexes === null) return false
    if (r.highWater !== undefined && typeof r.highWater !== 'number') return false
  }
  return true
}
