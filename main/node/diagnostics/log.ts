/**
 * The rotating log in the app's data folder (`<dataDir>/logs/lifeline.log`, then `.1` … `.N`).
 *
 * One JSON object per line (`{ t, level, scope?, msg, fields? }`), so `lifeline report` can pick out recent errors.
 * Size-capped (Limits.diagnostics): when a line would push the file past `logFileBytes` the files shift up by one
 * and the oldest is deleted. Every message and field is redacted (no PGP blocks, home paths, user or host names)
 * and cut to `logEntryChars`, so the log never holds key material or a whole document (a log is read by
 * people and sent to a helpdesk, so it never holds key material or full bodies). Writes are queued in order and never throw.
 */
import { appendFile, mkdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Limits } from '../../core/limits'
import type { Logger } from '../../core/ports'
import type { RedactionContext } from './redact'
import { currentRedactionContext, redact } from './redact'

/** Options of `createRotatingLog`. */
export interface RotatingLogOptions {
  /** Folder of the log files, e.g. `<dataDir>/logs`. */
  readonly dir: string
  readonly name?: string | undefined
  readonly maxBytes?: number | undefined
  /** Files kept, the current one included. */
  readonly maxFiles?: number | undefined
  readonly maxEntryChars?: number | undefined
  readonly now?: (() => number) | undefined
  readonly redaction?: RedactionContext | undefined
}

/** A logger writing to rotating files; `scoped('poller')` adds a scope; `flush()` waits for queued writes. */
export interface RotatingLog extends Logger {
  scoped(scope: string): Logger
  flush(): Promise<void>
}

/** One parsed log line. */
export interface LogEntry {
  readonly t: string
  readonly level: 'info' | 'warn' | 'error'
  readonly scope?: string | undefined
  readonly msg: string
  readonly fields?: Record<string, string> | undefined
}

/** The default log file name. */
export const LOG_FILE = 'lifeline.log'

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… [${s.length - max} more characters cut]`
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v instanceof Error) return `${v.name}: ${v.message}`
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

/** Creates the rotating log. */
export function createRotatingLog(opts: RotatingLogOptions): RotatingLog {
  const name = opts.name ?? LOG_FILE
  const maxBytes = opts.maxBytes ?? Limits.diagnostics.logFileBytes
  const maxFiles = Math.max(1, opts.maxFiles ?? Limits.diagnostics.logFiles)
  const maxChars = opts.maxEntryChars ?? Limits.diagnostics.logEntryChars
  const now = opts.now ?? Date.now
  const ctx = opts.redaction ?? currentRedactionContext()
  const base = join(opts.dir, name)
  let size: number | undefined
  let queue: Promise<void> = Promise.resolve()

  async function rotate(): Promise<void> {
    await unlink(`${base}.${maxFiles - 1}`).catch(() => undefined)
    for (let i = maxFiles - 2; i >= 1; i--)
      await rename(`${base}.${i}`, `${base}.${i + 1}`).catch(() => undefined)
    if (maxFiles > 1) await rename(base, `${base}.1`).catch(() => undefined)
    else await unlink(base).catch(() => undefined)
    size = 0
  }

  async function write(line: string): Promise<void> {
    if (size === undefined) {
      await mkdir(opts.dir, { recursive: true, mode: 0o700 })
      size = await stat(base).then(
        (s) => s.size,
        () => 0,
      )
    }
    const bytes = Buffer.byteLength(line)
    if (size > 0 && size + bytes > maxBytes) await rotate()
    await appendFile(base, line, { mode: 0o600 })
    size += bytes
  }

  function log(
    level: LogEntry['level'],
    scope: string | undefined,
    msg: string,
    fields?: Record<string, unknown>,
  ): void {
    const entry: Record<string, unknown> = { t: new Date(now()).toISOString(), level }
    if (scope) entry.scope = scope
    entry.msg = cut(redact(msg, ctx), maxChars)
    if (fields && Object.keys(fields).length > 0) {
      entry.fields = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, cut(redact(fieldText(v), ctx), maxChars)]),
      )
    }
    const line = `${JSON.stringify(entry)}\n`
    queue = queue.then(() => write(line)).catch(() => undefined)
  }

  const make = (scope?: string): Logger => ({
    info: (m, f) => log('info', scope, m, f),
    warn: (m, f) => log('warn', scope, m, f),
    error: (m, f) => log('error', scope, m, f),
  })
  return { ...make(), scoped: (scope) => make(scope), flush: () => queue }
}

function asEntry(line: string): LogEntry | undefined {
  try {
    const v = JSON.parse(line) as Partial<LogEntry>
    if (typeof v.t !== 'string' || typeof v.msg !== 'string') return undefined
    if (v.level !== 'info' && v.level !== 'warn' && v.level !== 'error') return undefined
    return v as LogEntry
  } catch {
    return undefined
  }
}

/** The newest `max` warnings and errors across the log files, oldest first. Unreadable lines are skipped. */
export async function readRecentProblems(
  dir: string,
  max: number = Limits.diagnostics.reportRecentErrors,
  name: string = LOG_FILE,
  maxFiles: number = Limits.diagnostics.logFiles,
): Promise<LogEntry[]> {
  const out: LogEntry[] = []
  // Newest file first; within a file, newest line last.
  for (let i = 0; i < maxFiles && out.length < max; i++) {
    const file = join(dir, i === 0 ? name : `${name}.${i}`)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    const entries = text
      .split('\n')
      .map(asEntry)
      .filter((e): e is LogEntry => e !== undefined && e.level !== 'info')
    out.unshift(...entries.slice(Math.max(0, entries.length - (max - out.length))))
  }
  return out
}
