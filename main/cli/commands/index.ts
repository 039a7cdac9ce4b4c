import type { CliCommand } from '../io'
import { feedCommand } from './feed'
import { inspectCommand } from './inspect'
import { labCommand } from './lab'
import { policyCommand } from './policy'
import { reportCommand } from './report'
import { serveCommand } from './serve'
import { verifyCommand } from './verify'

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [serveCommand, verifyCommand, inspectCommand, feedCommand, labCommand, policyCommand, reportCommand]
