/**
 * The `StateStore` port on the app's data folder (what is kept there: docs/cli.md, "lifeline mirrors").
 *
 * Each name is one file `<name>.json` holding `{ schema, savedAt, data }`. Writes are atomic (temp file in the same
 * directory, fsync, rename, fsync of the directory), so a crash leaves the old or the new file, never half of one.
 * A corrupt file is moved aside as `<name>.json.corrupt-<timestamp>` and reported, never silently dropped; a file
 * written by a newer version of the app is refused and never overwritten, so a downgrade cannot destroy its data.
 */
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { CoreError } from '../core/errors'
import { Limits } from '../core/limits'
import type { Logger, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'
import { writeFileAtomic } from './atomic-file'
import { errnoCode } from './errno'

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

/** What every step of a store works with: its folder and its resolved options. */
interface StoreContext {
  readonly dir: string
  readonly schema: number
  readonly log: Logger
  readonly now: () => number
  readonly maxBytes: number
  readonly readCaps: Readonly<Record<string, number>>
  readonly onCorrupt: ((report: CorruptStateReport) => void) | undefined
}

const pathOf = (ctx: StoreContext, name: string) => join(ctx.dir, `${name}.json`)

function newerSchemaError(ctx: StoreContext, name: string, found: number): CoreError<StateErrorCode> {
  return new CoreError<StateErrorCode>(
    'STATE_NEWER_SCHEMA',
    `${name} was written by a newer Lifeline (schema ${found}, this one knows ${ctx.schema}); it is left untouched`,
    { name, found, known: ctx.schema },
  )
}

/** Moves a corrupt file aside as `<name>.json.corrupt-<timestamp>` and reports it. */
async function moveAside(ctx: StoreContext, name: string, reason: string): Promise<undefined> {
  const path = pathOf(ctx, name)
  const stamp = new Date(ctx.now()).toISOString().replace(/[:.]/g, '-')
  const movedTo = `${path}.corrupt-${stamp}`
  await rename(path, movedTo)
  ctx.log.warn('state file moved aside', { name, movedTo, reason })
  ctx.onCorrupt?.({ name, path, movedTo, reason })
  return undefined
}

/**
 * Reads a state file's text within its cap: the text, undefined when absent, or why it is corrupt (too large, not
 * UTF-8).
 */
async function readStateText(
  ctx: StoreContext,
  name: string,
): Promise<{ readonly text: string } | { readonly corrupt: string } | undefined> {
  let fh
  try {
    fh = await open(pathOf(ctx, name), 'r')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined
    throw e
  }
  try {
    const st = await fh.stat()
    const cap = Math.max(ctx.maxBytes, ctx.readCaps[name] ?? 0)
    if (st.size > cap) return { corrupt: `larger than ${cap} bytes (${st.size})` }
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off)
      if (bytesRead === 0) break
      off += bytesRead
    }
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, off)) }
    } catch {
      return { corrupt: 'not UTF-8' }
    }
  } finally {
    await fh.close()
  }
}

/** Reads the envelope, or undefined when absent; moves a corrupt file aside (after closing it). */
async function readEnvelope(ctx: StoreContext, name: string): Promise<Envelope | undefined> {
  const read = await readStateText(ctx, name)
  if (read === undefined) return undefined
  if ('corrupt' in read) return moveAside(ctx, name, read.corrupt)
  const env = parseEnvelope(read.text)
  if (typeof env === 'string') return moveAside(ctx, name, env)
  return env
}

/**
 * Removes temp files a killed writer left behind (`.<name>.json.tmp-<pid>-*` of a process that no longer exists).
 * A live process's temp file is never touched: its rename would fail.
 */
async function sweepOrphans(dir: string, name: string): Promise<void> {
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

/** Writes `value` in a fresh envelope, unless the file on disk is from a newer schema or the result is too large. */
async function writeEnvelope(ctx: StoreContext, name: string, value: unknown): Promise<void> {
  const existing = await readEnvelope(ctx, name)
  if (existing && existing.schema > ctx.schema) throw newerSchemaError(ctx, name, existing.schema)
  const env: Envelope = { schema: ctx.schema, savedAt: new Date(ctx.now()).toISOString(), data: value }
  const bytes = Buffer.from(JSON.stringify(env), 'utf8')
  if (bytes.length > ctx.maxBytes) {
    throw new CoreError<StateErrorCode>('STATE_TOO_LARGE', `${name} would be ${bytes.length} bytes`, {
      name,
      bytes: bytes.length,
      maxBytes: ctx.maxBytes,
    })
  }
  await writeFileAtomic(ctx.dir, `${name}.json`, bytes)
}

/**
 * Runs tasks per key one after another, so that of two writes to one name the one called last is the one that
 * stays. `settled(key)` waits for the key's queued work (a read waits for the writes before it).
 */
function createKeyedQueue() {
  const queues = new Map<string, Promise<void>>()
  return {
    settled: (key: string): Promise<void> | undefined => queues.get(key),
    run(key: string, task: () => Promise<void>): Promise<void> {
      const prev = queues.get(key) ?? Promise.resolve()
      const next = prev.catch(() => undefined).then(task)
      const tail = next.catch(() => undefined)
      queues.set(key, tail)
      void tail.then(() => {
        if (queues.get(key) === tail) queues.delete(key)
      })
      return next
    },
  }
}

/** Creates a `StateStore` on `dir` (created on first write). */
export function createFileStateStore(dir: string, opts: FileStateStoreOptions = {}): StateStore {
  const ctx: StoreContext = {
    dir,
    schema: opts.schema ?? STATE_SCHEMA,
    log: opts.logger ?? silentLogger,
    now: opts.now ?? Date.now,
    maxBytes: opts.maxBytes ?? Limits.size.stateFileBytes,
    readCaps: opts.readCaps ?? {},
    onCorrupt: opts.onCorrupt,
  }
  const writes = createKeyedQueue()
  // Orphaned temp files are swept once per name per store.
  const swept = new Set<string>()

  return {
    async read<T>(name: string): Promise<T | undefined> {
      checkName(name)
      await writes.settled(name)
      const env = await readEnvelope(ctx, name)
      if (!env) return undefined
      if (env.schema > ctx.schema) throw newerSchemaError(ctx, name, env.schema)
      const data = env.schema < ctx.schema && opts.migrate ? opts.migrate(env.schema, env.data) : env.data
      // The caller validates the shape (each area owns its schema); the store guarantees JSON and a known schema.
      return data as T
    },
    write(name: string, value: unknown): Promise<void> {
      checkName(name)
      return writes.run(name, async () => {
        if (!swept.has(name)) {
          swept.add(name)
          await sweepOrphans(dir, name)
        }
        await writeEnvelope(ctx, name, value)
      })
    },
  }
}
