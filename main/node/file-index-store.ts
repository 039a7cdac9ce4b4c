/**
 * The `IndexStore` port on the data folder: one file `<sha256>.idx` per compact piece of a verified index
 * (`main/core/apt/compact-index.ts`), in `<dataDir>/state/indexes/`.
 *
 * Files are written atomically (`writeFileAtomic`, as the JSON state), named only by a 64-hex-digit key, and
 * read with a size cap. A piece that fails its integrity check is moved aside as `<key>.idx.corrupt-<timestamp>`
 * and reported, like a corrupt state file; the next poll fetches it again.
 */
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { CoreError } from '../core/errors'
import { Limits } from '../core/limits'
import type { IndexStore, Logger } from '../core/ports'
import { silentLogger } from '../core/ports'
import { writeFileAtomic } from './atomic-file'
import { errnoCode } from './errno'
import type { CorruptStateReport } from './file-state-store'

/** Options of `createFileIndexStore`. */
export interface FileIndexStoreOptions {
  readonly onCorrupt?: (report: CorruptStateReport) => void
  readonly logger?: Logger
  readonly now?: () => number
  /**
   * Unreferenced pieces younger than this are kept by `prune` (ms): another Lifeline process on the same
   * folder (the app and the CLI) may have just written one its state is about to reference.
   */
  readonly pruneGraceMs?: number
}

const KEY = /^[0-9a-f]{64}$/

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new CoreError('STATE_BAD_NAME', `bad index key: ${JSON.stringify(key.slice(0, 80))}`)
  }
}

/** What every step of a store works with: its folder and its resolved options. */
interface IndexStoreContext {
  readonly dir: string
  readonly log: Logger
  readonly now: () => number
  readonly onCorrupt: ((report: CorruptStateReport) => void) | undefined
}

// The header line and a little slack over the compact cap.
const MAX_PIECE_BYTES = Limits.size.compactIndexBytes + 4096
const DEFAULT_PRUNE_GRACE_MS = 10 * 60_000

const pathOf = (ctx: IndexStoreContext, key: string) => join(ctx.dir, `${key}.idx`)

/** Moves a piece aside as `<key>.idx.corrupt-<timestamp>` and reports it; a piece already gone is no error. */
async function moveAside(ctx: IndexStoreContext, key: string, reason: string): Promise<void> {
  const path = pathOf(ctx, key)
  const movedTo = `${path}.corrupt-${new Date(ctx.now()).toISOString().replace(/[:.]/g, '-')}`
  try {
    await rename(path, movedTo)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return
    throw e
  }
  ctx.log.warn('package list piece moved aside', { key, movedTo, reason })
  ctx.onCorrupt?.({ name: `indexes/${key}`, path, movedTo, reason })
}

/** Reads a piece within its cap: undefined when absent or moved aside for its size. */
async function readPiece(ctx: IndexStoreContext, key: string): Promise<Uint8Array | undefined> {
  const path = pathOf(ctx, key)
  try {
    const st = await stat(path)
    if (st.size > MAX_PIECE_BYTES) {
      await moveAside(ctx, key, `larger than ${MAX_PIECE_BYTES} bytes (${st.size})`)
      return undefined
    }
    const buf = await readFile(path)
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined
    throw e
  }
}

/** Deletes pieces (and killed writers' temp files) no key in `keep` names, once older than `graceMs`. */
async function pruneUnreferenced(
  ctx: IndexStoreContext,
  keep: ReadonlySet<string>,
  graceMs: number,
): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(ctx.dir)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return
    throw e
  }
  const t = ctx.now()
  for (const f of entries) {
    const m = /^([0-9a-f]{64})\.idx$/.exec(f) ?? /^\.([0-9a-f]{64})\.idx\.tmp-/.exec(f)
    if (!m || keep.has(m[1] as string)) continue
    const path = join(ctx.dir, f)
    try {
      if (t - (await stat(path)).mtimeMs < graceMs) continue
      await unlink(path)
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e
    }
  }
}

/** Creates the store on `dir` (created on first write). */
export function createFileIndexStore(dir: string, opts: FileIndexStoreOptions = {}): IndexStore {
  const ctx: IndexStoreContext = {
    dir,
    log: opts.logger ?? silentLogger,
    now: opts.now ?? Date.now,
    onCorrupt: opts.onCorrupt,
  }
  const graceMs = opts.pruneGraceMs ?? DEFAULT_PRUNE_GRACE_MS
  return {
    async has(key) {
      checkKey(key)
      try {
        return (await stat(pathOf(ctx, key))).isFile()
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return false
        throw e
      }
    },
    async get(key) {
      checkKey(key)
      return readPiece(ctx, key)
    },
    async put(key, data) {
      checkKey(key)
      try {
        await writeFileAtomic(dir, `${key}.idx`, data)
      } catch (e) {
        // A full or read-only disk costs the suites whose lists could not be saved, never the whole poll.
        throw new CoreError(
          'STATE_WRITE_FAILED',
          `could not save a package list: ${errnoCode(e) || String(e)}`,
          {
            key,
          },
        )
      }
    },
    async discard(key, reason) {
      checkKey(key)
      await moveAside(ctx, key, reason)
    },
    async prune(keep) {
      return pruneUnreferenced(ctx, keep, graceMs)
    },
  }
}
