import { stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { isCoreError } from '../core/errors'
import { readFileCapped } from '../node/keys'
import type { CliIo } from './io'

/**
 * Option values every command reads the same way: the `--now` reference time and folder arguments.
 *
 * One parser for all commands, so `lifeline check --now X` and `lifeline verify --now X` accept and refuse the same
 * values (docs/cli.md, "Options common to several commands").
 */

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/

/** The result of reading an option value: the value, or a one-line reason for a usage error. */
export type OptionValue<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

/**
 * Parses an ISO-8601 date or date-time (`2026-06-06`, `2026-06-06T12:00:00Z`, `...+02:00`) to epoch ms.
 *
 * A bare date means midnight UTC; a date-time without a zone is UTC too, so a check gives the same answer on every
 * machine. The calendar is checked field by field: `Date.parse('2026-02-30')` silently gives 2 March, and a
 * reference time the user did not mean would move every freshness and expiry decision.
 */
export function parseIsoTime(value: string, option = '--now'): OptionValue<number> {
  const example = `e.g. 2026-06-06T12:00:00Z`
  const m = ISO_TIME.exec(value)
  if (!m)
    return {
      ok: false,
      error: `${option} must be an ISO-8601 date or date-time, ${example} (got "${value}")`,
    }
  const [, y, mo, d, h, mi, s, zone, zh, zm] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const bad =
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    Number(h ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(s ?? 0) > 59 ||
    Number(zh ?? 0) > 23 ||
    Number(zm ?? 0) > 59
  if (bad) return { ok: false, error: `${option} is not a real date or time: "${value}"` }
  // No zone: UTC (Date.parse would read a date-time without a zone as local time).
  const text = h !== undefined && zone === undefined ? `${value.replace(' ', 'T')}Z` : value.replace(' ', 'T')
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) return { ok: false, error: `${option} is not a valid date: "${value}"` }
  return { ok: true, value: ms }
}

/** A usage or input error: every command throws this one class and maps it to its own usage exit code (64, or 2). */
export class UsageError extends Error {
  /** A stable code for input errors a script may want to tell apart (`INPUT_TOO_LARGE`); none for usage mistakes. */
  readonly code: 'INPUT_TOO_LARGE' | undefined

  constructor(message: string, code?: 'INPUT_TOO_LARGE') {
    super(message)
    this.code = code
  }
}

/** Parses `--now`: an ISO-8601 date or date-time (a bare date means midnight UTC); a UsageError otherwise. */
export function parseNowOption(value: string): number {
  const r = parseIsoTime(value)
  if (!r.ok) throw new UsageError(r.error)
  return r.value
}

/** A path given on the command line, made absolute against the command's working directory (`io.cwd`). */
export function cliPath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path)
}

/**
 * Reads FILE (relative to the working directory) or standard input for `-`, with a size cap; a UsageError if not.
 *
 * Neither is read past the cap: a larger input is refused with the code INPUT_TOO_LARGE after `maxBytes + 1` bytes.
 */
export async function readCliInput(io: CliIo, path: string, maxBytes: number): Promise<Uint8Array> {
  if (path === '-') {
    const data = await io.readStdin(maxBytes)
    if (data.byteLength > maxBytes) {
      throw new UsageError(
        `standard input is larger than ${maxBytes} bytes (INPUT_TOO_LARGE); reading stopped there`,
        'INPUT_TOO_LARGE',
      )
    }
    return data
  }
  try {
    return await readFileCapped(cliPath(io, path), maxBytes)
  } catch (e) {
    if (isCoreError(e, 'KEYS_TOO_LARGE'))
      throw new UsageError(`${e.message} (INPUT_TOO_LARGE)`, 'INPUT_TOO_LARGE')
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

/** Checks that `path` names an existing folder (for `--root`, `--from`...); the reason otherwise. */
export async function checkFolder(path: string, option: string): Promise<string | undefined> {
  try {
    if ((await stat(path)).isDirectory()) return undefined
    return `${option} ${path} is not a folder`
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return code === 'ENOENT'
      ? `${option} ${path}: no such folder`
      : `${option} ${path}: cannot read it (${code ?? String(e)})`
  }
}

/** Why listening failed, in one line, when it is the user's port choice or the system (not a bug); else undefined. */
export function listenFailure(e: unknown, requested: number): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  // The lab listens on several ports from --port on: name the one that failed.
  const failed = (e as { port?: unknown } | undefined)?.port
  const port = typeof failed === 'number' ? failed : requested
  if (code === 'EADDRINUSE')
    return `port ${port} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one`
  if (code === 'EACCES') return `not allowed to listen on port ${port}: choose a port above 1023 with --port`
  return undefined
}
