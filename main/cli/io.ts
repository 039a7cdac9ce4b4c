/** What a CLI command may touch: its streams, its environment and the working directory. Injected for tests. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /**
   * Reads standard input (for `-` as a file argument) to its end, or until it has more than `maxBytes`: then it
   * stops reading and returns `maxBytes + 1` bytes, so the caller can refuse the input without ever holding more.
   */
  readonly readStdin: (maxBytes: number) => Promise<Uint8Array>
  /** True when standard input is a terminal (a command reading it then says what it waits for). */
  readonly stdinIsTTY?: boolean | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
}

/** A subcommand: parses its own arguments, prints, and returns the process exit code. */
export interface CliCommand {
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** Full `--help` text. */
  readonly help: string
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>
}

/** A command as the dispatcher knows it before loading it. */
export interface CommandEntry {
  readonly name: string
  readonly load: () => Promise<CliCommand>
}

/** Exit code for a usage or input error (sysexits EX_USAGE is 64; `verify` uses 2 as its issue asks). */
export const EXIT_USAGE = 64
