/**
 * `lifeline mirrors`: poll the configured apt mirrors and print how each mirror × suite stands (docs/cli.md).
 *
 * Each row carries the evidence behind its status (docs/trust.md, points 2–3): the signed Release date,
 * how far it lags the newest verified Release, and the pinned key that signed it. The poll's state (validators,
 * high-water marks, verified indexes) is saved in the data folder, so rollback protection survives across runs and
 * `lifeline check --offline` can use what was verified. Exit codes: 0 every mirror ok, 1 any not ok, 3 none
 * verified, 64 usage or configuration error.
 */
import { readMirrorsState, writeMirrorsState } from '../../core/apt/mirror-store'
import { pollMirrors } from '../../core/apt/poller'
import { describeDuration, isoTime, isoTimeOrNull, secondsOrNull } from '../../core/time-format'
import { ANY_AGE, applyFreshness, maxAgeRule } from '../../core/check/freshness'
import { isAuthenticState } from '../../core/check/predicates'
import type { MirrorSuiteStatus } from '../../core/model'
import type { Keyring } from '../../core/pgp/keyring'
import { createAppEngine, readCodename } from '../../node/app'
import { createDecompressStream, createDecompressor } from '../../node/decompress'
import { createFetcher } from '../../node/http-fetcher'
import { resourcesDir } from '../../node/keys'
import { defaultDataDir } from '../../node/paths'
import { EXIT_USAGE, type CliCommand } from '../io'
import { checkFolder } from '../options'
import { parseCommandArgs, pathOption, referenceTime } from '../args'
import { stderrLogger } from './check'

/** The JSON output's schema id. */
export const MIRRORS_REPORT_SCHEMA = 'lifeline.mirrors/1'

/** Exit codes of `lifeline mirrors`. */
export const MirrorsExit = { allOk: 0, someNotOk: 1, noneVerified: 3, usage: EXIT_USAGE } as const

const HELP = `Usage: lifeline mirrors [--config FILE] [--now ISO-8601] [--json] [--data-dir DIR] [--root DIR]

Polls the configured apt mirrors: verifies each suite's signed Release with the pinned archive keys,
checks its freshness (Date, Valid-Until, maximum age, rollback) and the Packages indexes' hashes,
and prints a table: mirror, suite, status, Release date, lag, signer, detail.

Options:
  --config FILE    use this configuration file instead of the built-in defaults
  --now ISO-8601   the reference time for freshness checks (default: now)
  --json           print { "schema": "${MIRRORS_REPORT_SCHEMA}", "generatedAt", "exitCode", "mirrors": [...] }
  --data-dir DIR   where the poll state (high-water marks) is kept (default: $LIFELINE_DATA_DIR,
                   else $XDG_DATA_HOME/lifeline)
  --root DIR       read etc/os-release under DIR for the release codename (default: /)

Statuses: ok, lagging, stale, frozen, rolled-back, bad-signature, wrong-suite, hash-mismatch,
unreachable, too-slow, too-large.

Exit status: 0 every mirror ok, 1 any mirror not ok, 3 none verified, 64 usage or configuration error.
`

/**
 * The exit code of a poll: 3 when nothing verified (a `stale` mirror was reached and verified: it is old, not
 * unverified), 1 when any mirror × suite is not `ok`, else 0.
 */
export function mirrorsExitCode(statuses: readonly MirrorSuiteStatus[]): number {
  if (!statuses.some((s) => isAuthenticState(s.state))) return MirrorsExit.noneVerified
  return statuses.every((s) => s.state === 'ok') ? MirrorsExit.allOk : MirrorsExit.someNotOk
}

/** One row of the JSON output. */
export function mirrorRowJson(s: MirrorSuiteStatus, keyring: Keyring): Record<string, unknown> {
  return {
    id: s.mirrorId,
    name: s.mirrorName,
    url: s.url,
    suite: s.suite,
    status: s.state,
    code: s.code ?? null,
    releaseDate: isoTimeOrNull(s.releaseDate),
    validUntil: isoTimeOrNull(s.validUntil),
    lagSeconds: secondsOrNull(s.lagMs),
    signedBy: s.signedBy ?? null,
    signerName: s.signedBy ? (keyring.byFingerprint(s.signedBy)?.name ?? null) : null,
    dataAgeSeconds: secondsOrNull(s.dataAgeMs),
    detail: s.detail,
  }
}

/** The table: mirror, suite, status, Release date, lag, signer, detail (signer as the key's last 16 hex digits). */
export function renderMirrorsTable(statuses: readonly MirrorSuiteStatus[]): string {
  const head = ['MIRROR', 'SUITE', 'STATUS', 'RELEASE DATE', 'LAG', 'SIGNER', 'DETAIL']
  const rows = statuses.map((s) => [
    s.mirrorName,
    s.suite,
    s.state,
    s.releaseDate === undefined ? '-' : isoTime(s.releaseDate).replace(/\.\d{3}Z$/, 'Z'),
    s.lagMs === undefined ? '-' : describeDuration(s.lagMs),
    s.signedBy ? s.signedBy.slice(-16) : '-',
    s.detail || '-',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return `${[line(head), ...rows.map(line)].join('\n')}\n`
}

/** `lifeline mirrors`. */
export const mirrorsCommand: CliCommand = {
  name: 'mirrors',
  summary: "poll the configured apt mirrors and print each one's verified status",
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(io, 'mirrors', args, {
      config: 'value',
      now: 'value',
      json: 'flag',
      'data-dir': 'value',
      root: 'value',
    })
    if (parsed === undefined) return MirrorsExit.usage
    const now = referenceTime(io, 'mirrors', parsed)
    if (now === undefined) return MirrorsExit.usage
    const { options } = parsed
    const path = (name: string): string | undefined => pathOption(io, parsed, name)
    const root = path('root') ?? '/'
    const badRoot = options.root === undefined ? undefined : await checkFolder(root, '--root')
    if (badRoot) {
      io.stderr(`lifeline mirrors: ${badRoot}\n`)
      return MirrorsExit.usage
    }
    const log = stderrLogger(io)
    const dataDir = path('data-dir') ?? defaultDataDir(io.env)
    // The same configuration and keyring the app and `lifeline check` use (built-in keys + config keys).
    const created = await createAppEngine({
      dataDir,
      resourcesDir: resourcesDir(io.env),
      configFile: path('config'),
      root,
      codename: await readCodename(root, log),
      log,
    })
    if (!created.ok) {
      io.stderr(`lifeline mirrors: ${created.message}\n`)
      return MirrorsExit.usage
    }
    // The same state store and piece store as the app (one reader for the data folder, migrations included).
    const { config, keyring, store, indexes } = created.value
    const previous = await readMirrorsState(store, indexes, log)
    const polled = await pollMirrors({
      mirrors: config.mirrors,
      keyring,
      now,
      previous,
      ports: {
        fetcher: createFetcher(),
        decompressor: createDecompressor(),
        decompressStream: createDecompressStream(),
        indexes,
      },
      // The one freshness rule of `lifeline check` and the app (main/core/check/freshness.ts).
      maxAgeMs: ANY_AGE,
    })
    // A state the store refuses is reported (stderr), never a crash: the statuses below are what was verified.
    const saveProblem = await writeMirrorsState(store, indexes, polled.state, log)
    if (saveProblem) io.stderr(`lifeline mirrors: ${saveProblem.message}\n`)
    const statuses = applyFreshness(polled.statuses, now, maxAgeRule(config.maxAgeMs))
    const code = mirrorsExitCode(statuses)
    if (options.json === true) {
      const report = {
        schema: MIRRORS_REPORT_SCHEMA,
        generatedAt: isoTime(now),
        exitCode: code,
        mirrors: statuses.map((s) => mirrorRowJson(s, keyring)),
      }
      io.stdout(`${JSON.stringify(report, null, 2)}\n`)
    } else {
      io.stdout(config.mirrors.length === 0 ? 'No mirror is configured.\n' : renderMirrorsTable(statuses))
    }
    return code
  },
}
