/**
 * The `StateStore` port on the app's data folder (what is kept there: docs/cli.md, "lifeline mirrors").
 *
 * Each name is one file `<name>.json` holding `{ schema, savedAt, data }`. Writes are atomic (temp file in the same
 * directory, fsync, rename, fsync of the directory), so a crash leaves the old or the new file, never half of one.
 * A corrupt file is moved aside as `<name>.json.corrupt-<timestamp>` and reported, never silently dropped; a file
 * written by a newer version of the app is refused and never overwritten, so a downgrade cannot destroy its data.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { CoreError } from '../core/errors'
import { Limits } from '../core/limits'
import type { Logger, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'

/** Failures of the state store. */
export type StateErrorCode =
  | 'STATE_BAD_NAME' // a name that is not a plain file stem
  | 'STATE_NEWER_SCHEMA' // the file was written by a newer app: refused, left untouched
  | 'STATE_TOO_LARGE' // a value to write exceeds Limits.size.stateFileBytes

/** The schema version this build writes. Bump it with a migration when the stored shape changes. */
export const STATE_SCHEMA = 1

/** What is reported when a corrupt file is moved aside. */
export interface CorruptStateReport {
  readonly name: string
  readonly path: string
  readonly movedTo: string
  readonly reason: string
}

/** Options of `createFileStateStore`. */
export interface FileStateStoreOptions {
  /** Schema version this app understands (default `STATE_SCHEMA`). */
  readonly schema?: number
  /** Upgrades data written with an older schema; default returns it unchanged. */
  readonly migrate?: (fromSchema: number, data: unknown) => unknown
  readonly onCorrupt?: (report: CorruptStateReport) => void
  readonly logger?: Logger
  readonly now?: () => number
  readonly maxBytes?: number
  /**
   * Names whose file may be read up to a larger size than `maxBytes`, to migrate an older, larger format (the
   * mirror state before content-addressed pieces). Writes keep `maxBytes`.
   */
  readonly readCaps?: Readonly<Record<string, number>>
}

/** The on-disk envelope. */
interface Envelope {
  readonly schema: number
  readonly savedAt: string
  readonly data: unknown
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,100}$/i

function checkName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) {
    throw new CoreError<StateErrorCode>('STATE_BAD_NAME', `bad state name: ${JSON.stringify(name)}`, { name })
  }
}

/** The `code` of a Node system error (`ENOENT`, …), or '' for anything else. */
export function errnoCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : ''
}

/** Whether a process with this pid exists (signal 0 probes without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errnoCode(e) === 'EPERM'
  }
}

function parseEnvelope(text: string): Envelope | string {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return `not JSON: ${e instanceof Error ? e.message : String(e)}`
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object'
  const o = v as Record<string, unknown>
  if (typeof o.schema !== 'number' || !Number.isInteger(o.schema) || o.schema < 1)
    return 'missing or bad schema'
  if (typeof o.savedAt !== 'string') return 'missing savedAt'
  if (!('data' in o)) return 'missing data'
  return { schema: o.schema, savedAt: o.savedAt, data: o.data }
}

/**
 * Writes `bytes` to `dir/file` atomically: a temp file `.<file>.tmp-<pid>-<random>` in the same directory,
 * fsync, rename over the target, fsync of the directory. A crash leaves the old file or the new one, never half
 * of one; a killed writer's temp file is swept by the next store on that name.
 */
export async function writeFileAtomic(dir: string, file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, file)
  const tmp = join(dir, `.${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  let renamed = false
  try {
    const fh = await open(tmp, 'wx', 0o600)
    try {
      await fh.writeFile(bytes)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
    renamed = true
    // fsync the directory so the rename itself survives a power cut (POSIX: rename durability needs it).
    const dh = await open(dir, 'r')
    try {
      await dh.sync()
    } catch (e) {
      // Some filesystems refuse fsync on a directory (EINVAL/EISDIR); the rename is still atomic.
      if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errnoCode(e))) throw e
    } finally {
      await dh.close()
    }
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined)
  }
}

/** Creates a `StateStore` on `dir` (created on first write). */
export function createFileStateStore(dir: string, opts: FileStateStoreOptions = {}): StateStore {
  const schema = opts.schema ?? STATE_SCHEMA
  const log = opts.logger ?? silentLogger
  const now = opts.now ?? Date.now
  const maxBytes = opts.maxBytes ?? Limits.size.stateFileBytes
  // Writes to one name run one after another, so the last write() called is the one that stays.
  const queues = new Map<string, Promise<void>>()

  const pathOf = (name: string) => join(dir, `${name}.json`)

  const newerSchema = (name: string, found: number) =>
    new CoreError<StateErrorCode>(
      'STATE_NEWER_SCHEMA',
      `${name} was written by a newer Lifeline (schema ${found}, this one knows ${schema}); it is left untouched`,
      { name, found, known: schema },
    )

  async function moveAside(name: string, reason: string): Promise<undefined> {
    const path = pathOf(name)
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-')
    const movedTo = `${path}.corrupt-${stamp}`
    await rename(path, movedTo)
    log.warn('state file moved aside', { name, movedTo, reason })
    opts.onCorrupt?.({ name, path, movedTo, reason })
    return undefined
  }

  /** Reads the envelope, or undefined when absent; moves a corrupt file aside. */
  async function readEnvelope(name: string): Promise<Envelope | undefined> {
    const path = pathOf(name)
    let fh
    try {
      fh = await open(path, 'r')
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return undefined
      throw e
    }
    let text: string
    try {
      const st = await fh.stat()
      const cap = Math.max(maxBytes, opts.readCaps?.[name] ?? 0)
      if (st.size > cap) {
        await fh.close()
        fh = undefined
        return moveAside(name, `larger than ${cap} bytes (${st.size})`)
      }
      const buf = Buffer.alloc(st.size)
      let off = 0
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, off)
        if (bytesRead === 0) break
        off += bytesRead
      }
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, off))
      } catch {
        await fh.close()
        fh = undefined
        return moveAside(name, 'not UTF-8')
      }
    } finally {
      await fh?.close()
    }
    const env = parseEnvelope(text)
    if (typeof env === 'string') return moveAside(name, env)
    return env
  }

  const swept = new Set<string>()

  /**
   * Removes temp files a killed writer left behind (`.<name>.json.tmp-<pid>-*` of a process that no longer
   * exists), once per name per store. A live process's temp file is never touched: its rename would fail.
   */
  async function sweepOrphans(name: string): Promise<void> {
    if (swept.has(name)) return
    swept.add(name)
    let entries: string[]
    try {
      entries = await readdir(dir)
    } catch {
      return
    }
    const prefix = `.${name}.json.tmp-`
    for (const f of entries) {
      if (!f.startsWith(prefix)) continue
      const pid = Number(f.slice(prefix.length).split('-')[0])
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue
      await unlink(join(dir, f)).catch(() => undefined)
    }
  }

  async function writeAtomic(name: string, value: unknown): Promise<void> {
    await sweepOrphans(name)
    const existing = await readEnvelope(name)
    if (existing && existing.schema > schema) throw newerSchema(name, existing.schema)
    const env: Envelope = { schema, savedAt: new Date(now()).toISOString(), data: value }
    const bytes = Buffer.from(JSON.stringify(env), 'utf8')
    if (bytes.length > maxBytes) {
      throw new CoreError<StateErrorCode>('STATE_TOO_LARGE', `${name} would be ${bytes.length} bytes`, {
        name,
        bytes: bytes.length,
        maxBytes,
      })
    }
    await writeFileAtomic(dir, `${name}.json`, bytes)
  }

  return {
    async read<T>(name: string): Promise<T | undefined> {
      checkName(name)
      await queues.get(name)
      const env = await readEnvelope(name)
      if (!env) return undefined
      if (env.schema > schema) throw newerSchema(name, env.schema)
      const data = env.schema < schema && opts.migrate ? opts.migrate(env.schema, env.data) : env.data
      // The caller validates the shape (each area owns its schema); the store guarantees JSON and a known schema.
      return data as T
    },
    write(name: string, value: unknown): Promise<void> {
      checkName(name)
      const prev = queues.get(name) ?? Promise.resolve()
      const next = prev.catch(() => undefined).then(() => writeAtomic(name, value))
      const tail = next.catch(() => undefined)
      queues.set(name, tail)
      void tail.then(() => {
        if (queues.get(name) === tail) queues.delete(name)
      })
      return next
    },
  }
}
