/**
 * Reading and writing the poller's state: the small per mirror × suite JSON (`MIRRORS_STATE_NAME` in the
 * `StateStore`) and the content-addressed compact pieces it references (`IndexStore`), both ports from
 * `main/core/ports.ts`.
 *
 * Reading migrates what older versions saved; a piece that is missing or fails its recorded SHA256 costs only
 * the mirror × suite records that use it (reported, fetched again by the next poll); a state too large to write
 * is reported and the rest of the check goes on.
 */
import { mapWithLimit } from '../concurrency'
import { CoreError, isCoreError } from '../errors'
import type { IndexStore, Logger, StateStore } from '../ports'
import { silentLogger } from '../ports'
import { compactPieceOf, readCompactPiece } from './compact-index'
import type { PackageTuple } from './compact-index'
import {
  asMirrorsState,
  asMirrorsStateV1,
  MIRRORS_STATE_NAME,
  MIRRORS_STATE_VERSION,
  type IndexRecord,
  type MirrorsState,
  type SuiteRecord,
} from './mirror-state'

/** Saved pieces read and hashed at once by `loadPieces`: reading one from disk overlaps with hashing another. */
const PIECE_LOADS_AT_ONCE = 3

/** Something about the saved state that the user should hear of (it cost data, not correctness). */
export interface StateProblem {
  readonly code: string
  readonly message: string
}

/** An `IndexStore` in memory (tests, the bench, one-shot polls that keep nothing). */
export function createMemoryIndexStore(): IndexStore & { readonly size: () => number } {
  const pieces = new Map<string, Uint8Array>()
  return {
    has: (k) => Promise.resolve(pieces.has(k)),
    get: (k) => Promise.resolve(pieces.get(k)),
    put: (k, d) => {
      pieces.set(k, d)
      return Promise.resolve()
    },
    discard: (k) => {
      pieces.delete(k)
      return Promise.resolve()
    },
    prune: (keep) => {
      for (const k of [...pieces.keys()]) if (!keep.has(k)) pieces.delete(k)
      return Promise.resolve()
    },
    size: () => [...pieces.values()].reduce((n, p) => n + p.byteLength, 0),
  }
}

/**
 * Upgrades a version 1 state (every index's packages inline) to version 2: each index becomes one piece in
 * `indexes`, keyed by the signed hash it was verified against. Undefined when `v` is no version 1 state.
 */
export async function migrateMirrorsState(
  v: unknown,
  indexes: IndexStore,
): Promise<MirrorsState | undefined> {
  const old = asMirrorsStateV1(v)
  if (!old) return undefined
  const written = new Map<string, Pick<IndexRecord, 'entries' | 'compactSha256' | 'compactBytes'>>()
  const suites: Record<string, SuiteRecord> = {}
  for (const [k, rec] of Object.entries(old.suites)) {
    const refs: Record<string, IndexRecord> = {}
    let damaged = false
    for (const [ik, idx] of Object.entries(rec.indexes)) {
      let piece = written.get(idx.sha256)
      if (!piece) {
        let p
        try {
          p = await compactPieceOf(idx.packages)
        } catch (e) {
          if (!(e instanceof CoreError)) throw e
          damaged = true
          break
        }
        await indexes.put(idx.sha256, p.bytes)
        piece = { entries: p.entries, compactSha256: p.sha256, compactBytes: p.bytes.byteLength }
        written.set(idx.sha256, piece)
      }
      refs[ik] = {
        component: idx.component,
        arch: idx.arch,
        sha256: idx.sha256,
        size: idx.size,
        fetchedPath: idx.fetchedPath,
        ...piece,
      }
    }
    // A record whose saved packages are damaged keeps its high-water mark (rollback protection) and nothing it
    // vouched for: the next poll verifies it afresh.
    suites[k] = damaged
      ? { ...rec, verified: undefined, etag: undefined, lastModified: undefined, indexes: {} }
      : { ...rec, indexes: refs }
  }
  return { version: MIRRORS_STATE_VERSION, suites }
}

/**
 * Reads the poller's state, migrating (and saving) an older version. Never throws for bad data: an unreadable
 * state is logged and read as none (the store has moved a corrupt file aside and reported it).
 */
export async function readMirrorsState(
  store: StateStore,
  indexes: IndexStore,
  log: Logger = silentLogger,
): Promise<MirrorsState | undefined> {
  let raw: unknown
  try {
    raw = await store.read<unknown>(MIRRORS_STATE_NAME)
  } catch (e) {
    if (!isCoreError(e)) throw e
    log.warn(`mirror state unreadable: ${e.message}`)
    return undefined
  }
  const current = asMirrorsState(raw)
  if (current) return current
  const migrated = await migrateMirrorsState(raw, indexes)
  if (!migrated) {
    if (raw !== undefined) log.warn('mirror state has an unknown shape; starting afresh')
    return undefined
  }
  log.info('mirror state migrated to the content-addressed format')
  await writeMirrorsState(store, indexes, migrated, log)
  return migrated
}

/** The keys of every piece `state` references. */
export function referencedPieces(state: MirrorsState): Set<string> {
  const keep = new Set<string>()
  for (const rec of Object.values(state.suites))
    for (const i of Object.values(rec.indexes)) keep.add(i.sha256)
  return keep
}

/**
 * Saves the state, then deletes pieces nothing references any more. A state the store refuses (STATE_TOO_LARGE
 * and the like) is logged and returned as a problem: the check in hand still answers from memory.
 */
export async function writeMirrorsState(
  store: StateStore,
  indexes: IndexStore,
  state: MirrorsState,
  log: Logger = silentLogger,
): Promise<StateProblem | undefined> {
  try {
    await store.write(MIRRORS_STATE_NAME, state)
  } catch (e) {
    if (!isCoreError(e)) throw e
    log.warn(`mirror state not saved: ${e.message}`)
    return {
      code: e.code,
      message: `The verified mirror state could not be saved (${e.code}: ${e.message}); this check still used it, the next one starts from the previous saved state.`,
    }
  }
  try {
    await indexes.prune(referencedPieces(state))
  } catch (e) {
    // Unreferenced pieces only cost disk; the state just written is what counts.
    log.warn(`old package lists not cleaned up: ${e instanceof Error ? e.message : String(e)}`)
  }
  return undefined
}

/** Compact pieces read for one check, by key; `missing` names the pieces that could not be used and why. */
export interface LoadedPieces {
  readonly pieces: ReadonlyMap<string, readonly PackageTuple[]>
  readonly missing: ReadonlyMap<string, string>
}

/**
 * Reads the pieces `state` references, each once however many records share it, keeping only packages `keep`
 * accepts. A piece that is absent or fails its recorded hash is discarded from the store (the next poll fetches
 * it again) and listed in `missing`.
 */
export async function loadPieces(
  state: MirrorsState | undefined,
  indexes: IndexStore,
  keep?: (name: string) => boolean,
): Promise<LoadedPieces> {
  const pieces = new Map<string, readonly PackageTuple[]>()
  const missing = new Map<string, string>()
  if (!state) return { pieces, missing }
  // Each distinct piece once (records of mirrors serving the same index share it).
  const wanted = new Map<string, string>()
  for (const rec of Object.values(state.suites)) {
    if (!rec.verified) continue
    for (const idx of Object.values(rec.indexes)) wanted.set(idx.sha256, idx.compactSha256)
  }
  type Loaded = { readonly tuples: readonly PackageTuple[] } | { readonly why: string }
  const load = async (key: string, compactSha256: string): Promise<Loaded> => {
    const bytes = await indexes.get(key)
    if (!bytes) return { why: 'the saved package list is missing' }
    try {
      return { tuples: await readCompactPiece(bytes, compactSha256, keep) }
    } catch (e) {
      if (!(e instanceof CoreError)) throw e
      await indexes.discard(key, e.message)
      return { why: e.message }
    }
  }
  // A few at a time: reading and hashing one piece overlaps with scanning another. Results are kept in the
  // state's order, so the same state always gives the same report.
  const keys = [...wanted]
  const results = await mapWithLimit(keys, PIECE_LOADS_AT_ONCE, ([key, compactSha256]) =>
    load(key, compactSha256),
  )
  keys.forEach(([key], i) => {
    const r = results[i] as Loaded
    if ('tuples' in r) pieces.set(key, r.tuples)
    else missing.set(key, r.why)
  })
  return { pieces, missing }
}

/**
 * The state without the records that reference a missing piece: a suite whose package lists are not all there
 * must not vouch for anything (its absent index could hold the fix, or the newer version), so it fails closed.
 */
export function withoutMissing(state: MirrorsState, missing: ReadonlyMap<string, string>): MirrorsState {
  if (missing.size === 0) return state
  const suites: Record<string, SuiteRecord> = {}
  for (const [k, rec] of Object.entries(state.suites)) {
    if (!Object.values(rec.indexes).some((i) => missing.has(i.sha256))) suites[k] = rec
  }
  return { ...state, suites }
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
export async function availableVersions(
  state: MirrorsState | undefined,
  indexes: IndexStore,
  pkg: string,
  arch: string,
): Promise<AvailableVersion[]> {
  const out: AvailableVersion[] = []
  if (!state) return out
  const { pieces } = await loadPieces(state, indexes, (name) => name === pkg)
  for (const rec of Object.values(state.suites)) {
    const rel = rec.verified
    if (!rel) continue
    const seen = new Set<string>()
    for (const idx of Object.values(rec.indexes)) {
      for (const e of pieces.get(idx.sha256) ?? []) {
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
