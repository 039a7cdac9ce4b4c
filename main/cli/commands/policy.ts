/**
 * `lifeline policy check FILE…`: validate policy files and show the configuration they would produce.
 *
 * The FILEs are merged as if installed in /etc/lifeline/policies/managed (or /recommended with --recommended), on
 * top of the built-in defaults, the build's policy, the machine's current system policies and the user's settings,
 * and every value is printed with the layer that set it (docs/policy.md). Nothing is saved.
 * Exit codes: 0 every FILE is valid, 1 a FILE is invalid or unreadable, 64 usage error.
 */
import { dirname, isAbsolute, resolve } from 'node:path'
import { formatEffectiveConfig, formatProblem } from '../../core/config/format'
import type { ConfigProblem } from '../../core/config/schema'
import { Limits } from '../../core/limits'
import { loadKeyring } from '../../core/pgp/keyring'
import { silentLogger } from '../../core/ports'
import { readCodename } from '../../node/app'
import { readFileCapped, resourcesDir } from '../../node/keys'
import { defaultDataDir } from '../../node/paths'
import { loadEffectiveConfig, type LoadedConfig } from '../../node/config/layers'
import { EXIT_USAGE, type CliCommand, type CliIo } from '../io'
import { cliPath } from '../options'
import { parseCommandArgs } from '../args'

/** Exit code: every file given is valid. */
export const EXIT_POLICY_VALID = 0
/** Exit code: at least one file given is invalid, unreadable or unsafe. */
export const EXIT_POLICY_INVALID = 1

const HELP = `Usage: lifeline policy check [--json] [--recommended] [--etc-dir DIR] [--data-dir DIR]
                             [--resources DIR] [--codename NAME] FILE...

Validates policy files against the schema (docs/policy.schema.json) and with the app's safety
checks (owner, mode, symbolic links, the folders above; a FILE outside /etc/lifeline may be owned
by you instead of root, but must not be writable by others), loads every key file they pin (same
checks; it must hold exactly the pinned fingerprint, and no secret key), and prints the effective
configuration they would give on this machine, with the layer that set every value:
built-in defaults < the build's policy < system policies < user settings < mandatory policies.
Each FILE is merged as a mandatory system policy (as if in /etc/lifeline/policies/managed/).

Options:
  --json           print { valid, files, config, origins, problems } as JSON
  --recommended    merge the FILEs as recommended policies (defaults the user may change)
  --etc-dir DIR    read system policies from DIR/lifeline instead of /etc/lifeline ($LIFELINE_ETC_DIR)
  --data-dir DIR   read user settings from DIR instead of the app's data folder
  --resources DIR  read built-in defaults and the build's policy from DIR ($LIFELINE_RESOURCES)
  --codename NAME  substitute NAME for {codename} instead of this machine's release

Every problem is printed as FILE: FIELD: REASON.
Exit status: 0 all FILEs valid, 1 a FILE is invalid (or unreadable), 64 usage error.
`

/**
 * Loads every key a given FILE pins, exactly as the app does at start (main/node/engine.ts effectiveKeyring).
 *
 * The schema alone cannot see a key file that is missing, holds another key than the pinned fingerprint, holds
 * secret material or a weak key; the app would then refuse to start with that policy, so `policy check` must not
 * call it valid (docs/trust.md, point 1: keys are pinned by full fingerprint).
 */
export async function keyFileProblems(
  eff: LoadedConfig,
  given: ReadonlySet<string>,
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = []
  for (const k of eff.config.extraKeys) {
    const policyFile = eff.origins[`keys.${k.fingerprint}`]?.file
    if (policyFile === undefined || !given.has(policyFile)) continue
    const keyFile = isAbsolute(k.file) ? k.file : resolve(dirname(policyFile), k.file)
    try {
      const data = await readFileCapped(keyFile, Limits.size.keyBytes)
      await loadKeyring([{ data, role: k.role, name: keyFile, fingerprint: k.fingerprint }])
    } catch (e) {
      problems.push({
        file: policyFile,
        field: `keys.${k.fingerprint}.file`,
        reason: e instanceof Error ? e.message : String(e),
        code: 'CONFIG_INVALID',
      })
    }
  }
  return problems
}

/** `lifeline policy`. */
export const policyCommand: CliCommand = {
  name: 'policy',
  summary: "validate policy files and show the effective configuration with each value's layer",
  help: HELP,
  run: runPolicy,
}

async function runPolicy(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'check') {
    io.stderr(
      `lifeline policy: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`}\n${HELP}`,
    )
    return EXIT_USAGE
  }
  const parsed = parseCommandArgs(io, 'policy check', rest, {
    json: 'flag',
    recommended: 'flag',
    'etc-dir': 'value',
    'data-dir': 'value',
    resources: 'value',
    codename: 'value',
  })
  if (parsed === undefined) return EXIT_USAGE
  const { options: o, positional } = parsed
  if (positional.length === 0) {
    io.stderr('lifeline policy check: give at least one policy FILE\n')
    return EXIT_USAGE
  }
  const files = positional.map((p) => cliPath(io, p))
  const codename = typeof o.codename === 'string' ? o.codename : await readCodename('/', silentLogger)
  const eff = await loadEffectiveConfig({
    resourcesDir: typeof o.resources === 'string' ? cliPath(io, o.resources) : resourcesDir(io.env),
    dataDir: typeof o['data-dir'] === 'string' ? cliPath(io, o['data-dir']) : defaultDataDir(io.env),
    etcDir:
      typeof o['etc-dir'] === 'string' ? cliPath(io, o['etc-dir']) : (io.env.LIFELINE_ETC_DIR ?? '/etc'),
    codename,
    extraPolicies: files.map((file) => ({ file, locked: o.recommended !== true })),
    saveLastGood: false,
    useLastGood: false,
  })
  const given = new Set(files)
  const problems = [...eff.problems, ...(await keyFileProblems(eff, given))]
  const bad = problems.filter((p) => given.has(p.file) && p.code !== 'CONFIG_LOCKED')
  const valid = bad.length === 0
  if (o.json === true) {
    io.stdout(
      `${JSON.stringify(
        {
          valid,
          files: eff.files,
          config: eff.config,
          origins: eff.origins,
          problems,
        },
        null,
        2,
      )}\n`,
    )
  } else {
    for (const f of files) {
      const mine = bad.filter((p) => p.file === f)
      io.stdout(mine.length === 0 ? `${f}: valid\n` : `${f}: INVALID\n`)
    }
    io.stdout('\n')
    io.stdout(formatEffectiveConfig(eff))
    for (const p of bad) io.stderr(`${formatProblem(p)}\n`)
  }
  return valid ? EXIT_POLICY_VALID : EXIT_POLICY_INVALID
}
