import { EXIT_USAGE, type CliCommand, type CliIo, type CommandEntry } from './io'

/** The top-level help, listing the commands. */
export function topLevelHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4)
  return [
    'Usage: lifeline <command> [options]',
    '',
    "Trustworthy Ubuntu security-update guidance that keeps working when Ubuntu's websites are down.",
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help       show help (also: lifeline <command> --help)',
    '  --version    print the version',
    '',
  ].join('\n')
}

/** Exit code for a failure the command did not expect: a bug (sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70

/** Dispatches `argv` (without node and the script) to a command; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CommandEntry[],
  version: string,
): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined) {
    // No command is a usage error: the help goes to stderr so a script's stdout stays empty.
    io.stderr(topLevelHelp(await Promise.all(commands.map((c) => c.load()))))
    return EXIT_USAGE
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) {
      const named = commands.find((c) => c.name === rest[0])
      if (!named) {
        io.stderr(`lifeline: unknown command '${rest[0]}'. Run 'lifeline --help' for the list.\n`)
        return EXIT_USAGE
      }
      io.stdout((await named.load()).help)
      return 0
    }
    io.stdout(topLevelHelp(await Promise.all(commands.map((c) => c.load()))))
    return 0
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`lifeline ${version}\n`)
    return 0
  }
  const entry = commands.find((c) => c.name === first)
  if (!entry) {
    io.stderr(`lifeline: unknown command '${first}'. Run 'lifeline --help' for the list.\n`)
    return EXIT_USAGE
  }
  const cmd = await entry.load()
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.help)
    return 0
  }
  try {
    return await cmd.run(rest, io)
  } catch (e) {
    // Commands report expected failures (bad input, CoreError codes) themselves; anything reaching here is a bug.
    // One line for the user, the stack only on request, never a raw Node crash dump.
    const message = e instanceof Error ? e.message : String(e)
    io.stderr(
      `lifeline ${cmd.name}: unexpected error: ${message.replace(/\s+/g, ' ').trim()}\n` +
        (io.env.LIFELINE_DEBUG
          ? `${e instanceof Error ? (e.stack ?? '') : ''}\n`
          : 'This is a bug in Lifeline; run again with LIFELINE_DEBUG=1 for details and report it.\n'),
    )
    return EXIT_INTERNAL
  }
}

/** Parses `--name value` / `--name=value` / `--flag` options against a spec; positional arguments are kept. */
export function parseOptions(
  args: readonly string[],
  spec: Readonly<Record<string, 'flag' | 'value' | 'multi'>>,
): { options: Record<string, string | boolean | string[]>; positional: string[] } | { error: string } {
  const options: Record<string, string | boolean | string[]> = {}
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2)
    const kind = spec[name]
    if (!kind) return { error: `unknown option --${name}` }
    if (kind === 'flag') {
      if (eq >= 0) return { error: `--${name} takes no value` }
      options[name] = true
      continue
    }
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i]
    if (value === undefined) return { error: `--${name} needs a value` }
    if (kind === 'multi') options[name] = [...((options[name] as string[] | undefined) ?? []), value]
    else options[name] = value
  }
  return { options, positional }
}
