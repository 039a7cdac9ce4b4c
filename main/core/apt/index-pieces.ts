/**
 * Keeping a suite's Packages indexes stored as compact pieces during a poll (`poller.ts`).
 *
 * A piece is keyed by the signed hash of its index (the uncompressed one when the Release lists it): a piece
 * already stored under it — from an earlier poll or another mirror whose signed Release names the same hash —
 * is the same content (SHA256), so nothing is fetched. A new one is fetched and checked by `fetchSignedIndex`
 * (`index-fetch.ts`), once per key however many mirrors ask for it at the same time, and streamed into its
 * compact form (`compact-index.ts`).
 */
import { Limits } from '../limits'
import { CompactIndexBuilder } from './compact-index'
import type { CompactPiece } from './compact-index'
import { aptError } from './errors'
import { fetchSignedIndex } from './index-fetch'
import type { IndexSink, SignedIndex } from './index-fetch'
import { indexCandidates } from './indexes'
import type { IndexCandidate } from './indexes'
import type { IndexRecord, SuiteRecord } from './mirror-state'
import { fetchCounted } from './poll-context'
import type { PieceInfo, PollContext, SuiteAttempt } from './poll-context'
import type { ReleaseInfo } from './release'

/** A Packages index a mirror config asks for. */
export interface WantedIndex {
  readonly component: string
  readonly arch: string
}

/** The key of an index in a suite record: `<component>/binary-<arch>`. */
export function indexKey(component: string, arch: string): string {
  return `${component}/binary-${arch}`
}

/** Whether every wanted index of `rec` is referenced and its piece is still stored. */
export async function allStored(
  ctx: PollContext,
  rec: SuiteRecord,
  wanted: readonly WantedIndex[],
): Promise<boolean> {
  for (const index of wanted) {
    const saved = rec.indexes[indexKey(index.component, index.arch)]
    if (saved === undefined || !(await ctx.indexes.has(saved.sha256))) return false
  }
  return true
}

/**
 * Makes sure the compact piece of one Packages index the verified Release names is stored, and returns its
 * reference: the previous record when it names the same signed hash and its piece is there, a piece another
 * mirror stored or is fetching, or a piece fetched now.
 */
export async function storeIndexPiece(
  ctx: PollContext,
  attempt: SuiteAttempt,
  release: ReleaseInfo,
  wanted: WantedIndex,
  prev: IndexRecord | undefined,
): Promise<IndexRecord> {
  const { component, arch } = wanted
  // Candidates in preference order (.xz, .gz, plain), each with its signed size and hash; APT_NOT_IN_RELEASE if none.
  const candidates = indexCandidates(release, component, arch, attempt.suite)
  const first = candidates[0] as IndexCandidate
  const signed = first.uncompressed ?? first.expected
  const key = signed.sha256.toLowerCase()
  const ref = (piece: PieceInfo, path: string): IndexRecord => ({
    component,
    arch,
    sha256: key,
    size: signed.size,
    fetchedPath: path,
    entries: piece.entries,
    compactSha256: piece.compactSha256,
    compactBytes: piece.compactBytes,
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
    const got = await fetchPiece(ctx, attempt, candidates, indexKey(component, arch))
    path = got.candidate.path
    return keepPiece(ctx, key, got.result)
  })
  ctx.inflight.set(key, job)
  try {
    return ref(await job, path)
  } finally {
    if (ctx.inflight.get(key) === job) ctx.inflight.delete(key)
  }
}

/** Fetches and checks one Packages index, streaming it into its compact form. */
function fetchPiece(
  ctx: PollContext,
  attempt: SuiteAttempt,
  candidates: readonly IndexCandidate[],
  key: string,
): Promise<SignedIndex<CompactPiece>> {
  const label = `${key}/Packages`
  return fetchSignedIndex({
    base: attempt.base,
    candidates,
    fetch: async (url, maxBytes) => (await fetchCounted(ctx, attempt, url, maxBytes)).body,
    decompress: ctx.decompress,
    sink: () => compactSink(label),
    unavailable: () => aptError('APT_NOT_IN_RELEASE', `${label} unavailable`),
    onUrl: (url) => {
      attempt.url = url
    },
  })
}

/** Stores a checked piece under `key`, within `Limits.size.compactTotalBytes` for all pieces kept. */
async function keepPiece(ctx: PollContext, key: string, piece: CompactPiece): Promise<PieceInfo> {
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
}

function compactSink(label: string): IndexSink<CompactPiece> {
  const builder = new CompactIndexBuilder(Limits.size.compactIndexBytes, label)
  return { push: (chunk) => builder.pushBytes(chunk), finish: () => builder.finish() }
}
