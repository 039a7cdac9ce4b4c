/**
 * `lifeline report`: print the redacted diagnostic report for a helpdesk (main/node/diagnostics/report.ts).
 *
 * Reads only what is saved in the data folder and the configuration files; never contacts a server.
 * Exit codes: 0 printed, 64 usage error.
 */
import { silentLogger } from '../../core/ports'
import { readAppVersion, readCodename } from '../../node/app'
import { buildDiagnosticReport, formatDiagnosticReport } from '../../node/diagnostics/report'
import { resourcesDir } from '../../node/keys'
import { defaultDataDir } from '../../node/paths'
import { EXIT_USAGE, type CliCommand, type CliIo } from '../io'
import { parseCommandArgs, pathOption, textOption } from '../args'

const HELP = `Usage: lifeline report [--json] [--data-dir DIR] [--etc-dir DIR] [--resources DIR] [--codename NAME]

Prints a diagnostic report to send to your helpdesk: Lifeline and system versions, the configuration
files in use (and any problem with them), mirrors, advisory channels and keys, the state of every
source at the last check, and recent warnings and errors from the log.

The report is redacted: it contains no user name, home folder, host name or key material. It is
built from saved files only; nothing is fetched.

Options:
  --json           print the report as JSON
  --data-dir DIR   the app's data folder (default: $LIFELINE_DATA_DIR, else ~/.local/share/lifeline)
  --etc-dir DIR    read system policies from DIR/lifeline instead of /etc/lifeline
  --resources DIR  the app's resources folder
  --codename NAME  release codename for {codename} in suites (default: this machine's)

Exit status: 0 printed, 64 usage error.
`

/** `lifeline report`. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'print a redacted diagnostic report for your helpdesk',
  help: HELP,
  run: runReport,
}

async function runReport(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(io, 'report', args, {
    json: 'flag',
    'data-dir': 'value',
    'etc-dir': 'value',
    resources: 'value',
    codename: 'value',
  })
  if (parsed === undefined) return EXIT_USAGE
  if (parsed.positional.length > 0) {
    io.stderr(`lifeline report: unexpected argument '${parsed.positional[0] ?? ''}'\n`)
    return EXIT_USAGE
  }
  const path = (name: string): string | undefined => pathOption(io, parsed, name)
  const report = await buildDiagnosticReport({
    dataDir: path('data-dir') ?? defaultDataDir(io.env),
    etcDir: path('etc-dir') ?? io.env.LIFELINE_ETC_DIR ?? '/etc',
    resourcesDir: path('resources') ?? resourcesDir(io.env),
    codename: textOption(parsed, 'codename') ?? (await readCodename('/', silentLogger)),
    appVersion: await readAppVersion(),
  })
  io.stdout(
    parsed.options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatDiagnosticReport(report),
  )
  return 0
}
