import type { CliCommand } from '../io'
import { inspectCommand } from './inspect'
import { serveCommand } from './serve'

/** Every subcommand, in the order `--help` lists them. Other issues add theirs here. */
export const commands: readonly CliCommand[] = [serveCommand, inspectCommand]
