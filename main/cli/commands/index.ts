import type { CliCommand } from '../io'
import { checkCommand } from './check'
import { mirrorsCommand } from './mirrors'
import { feedCommand } from './feed'
import { inspectCommand } from './inspect'
import { labCommand } from './lab'
import { policyCommand } from './policy'
import { reportCommand } from './report'
import { serveCommand } from './serve'
import { verifyCommand } from './verify'

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [checkCommand, mirrorsCommand, serveCommand, verifyCommand, inspectCommand, feedCommand, labCommand, policyCommand, reportCommand]
