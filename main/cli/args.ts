/**
 * What every `lifeline` command does with its arguments before its own work: parse the options against its
 * spec, report a usage mistake in the one-line `lifeline <command>: ...` form, and read a text option.
 */
import type { CliIo } from './io'
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
