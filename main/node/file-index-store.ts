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
import type { CorruptStateReport } from './file-state-store'
import { errnoCode, writeFileAtomic } from './file-state-store'

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

/** Creates the store on `dir` (created on first write). */
export function createFileIndexStore(dir: string, opts: FileIndexStoreOptions = {}): IndexStore {
  const log = opts.logger ?? silentLogger
  const now = opts.now ?? Date.now
  const grace = opts.pruneGraceMs ?? 10 * 60_000
  const pathOf = (key: string) => join(dir, `${key}.idx`)
  // The header line and a little slack over the compact cap.
  const maxBytes = Limits.size.compactIndexBytes + 4096

  async function moveAside(key: string, reason: string): Promise<void> {
    const path = pathOf(key)
    const movedTo = `${path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
    try {
      await rename(path, movedTo)
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return
      throw e
    }
    log.warn('package list piece moved aside', { key, movedTo, reason })
    opts.onCorrupt?.({ name: `indexes/${key}`, path, movedTo, reason })
  }

  return {
    async has(key) {
      checkKey(key)
      try {
        return (await stat(pathOf(key))).isFile()
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return false
        throw e
      }
    },
    async get(key) {
      checkKey(key)
      const path = pathOf(key)
      try {
        const st = await stat(path)
        if (st.size > maxBytes) {
          await moveAside(key, `larger than ${maxBytes} bytes (${st.size})`)
          return undefined
        }
        const buf = await readFile(path)
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return undefined
        throw e
      }
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
      await moveAside(key, reason)
    },
    async prune(keep) {
      let entries: string[]
      try {
        entries = await readdir(dir)
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return
        throw e
      }
      const t = now()
      for (const f of entries) {
        const m = /^([0-9a-f]{64})\.idx$/.exec(f) ?? /^\.([0-9a-f]{64})\.idx\.tmp-/.exec(f)
        if (!m || keep.has(m[1] as string)) continue
        const path = join(dir, f)
        try {
          if (t - (await stat(path)).mtimeMs < grace) continue
          await unlink(path)
        } catch (e) {
          if (errnoCode(e) !== 'ENOENT') throw e
        }
      }
    },
  }
}
