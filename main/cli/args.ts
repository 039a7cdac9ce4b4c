/**
 * What every `lifeline` command does with its arguments before its own work: parse the options against its
 * spec, report a usage mistake in the one-line `lifeline <command>: ...` form, and read a text option.
 */
import type { CliIo } from './io'
import { cliPath, parseNowOption, UsageError } from './options'
import { parseOptions } from './run'

/** A command's options by name, and its positional arguments. */
export interface CommandArgs {
  readonly options: Readonly<Record<string, string | boolean | string[]>>
  readonly positional: readonly string[]
}

/**
 * Parses `args` against `spec`. On an unknown option or a missing value, prints `lifeline <command>: <why>` on
 * stderr (then, after a blank line, `help` when given) and returns undefined: the caller returns its own usage
 * exit code.
 */
export function parseCommandArgs(
  io: CliIo,
  command: string,
  args: readonly string[],
  spec: Readonly<Record<string, 'flag' | 'value' | 'multi'>>,
  help?: string,
): CommandArgs | undefined {
  const parsed = parseOptions(args, spec)
  if (!('error' in parsed)) return parsed
  io.stderr(`lifeline ${command}: ${parsed.error}\n${help === undefined ? '' : `\n${help}`}`)
  return undefined
}

/** The value of a `value` option, or undefined when it was not given. */
export function textOption(args: CommandArgs, name: string): string | undefined {
  const value = args.options[name]
  return typeof value === 'string' ? value : undefined
}

/** Every value of a `multi` option (none when it was not given). */
export function listOption(args: CommandArgs, name: string): readonly string[] {
  const value = args.options[name]
  return Array.isArray(value) ? value : []
}

/** A message on one line, for stderr. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** A `value` option that names a file or folder, resolved against the working directory; undefined when absent. */
export function pathOption(io: CliIo, args: CommandArgs, name: string): string | undefined {
  const value = textOption(args, name)
  return value === undefined ? undefined : cliPath(io, value)
}

/**
 * The reference time of a command that takes no positional arguments and an optional `--now`: `--now` when given,
 * else the clock. On a stray argument or a bad `--now`, prints `lifeline <command>: <why>` and returns undefined.
 */
export function referenceTime(io: CliIo, command: string, args: CommandArgs): number | undefined {
  try {
    if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"`)
    const now = textOption(args, 'now')
    return now === undefined ? Date.now() : parseNowOption(now)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.stderr(`lifeline ${command}: ${e.message}\n`)
    return undefined
  }
}
