/**
 * `lifeline lab`: runs the outage lab (main/lab/README.md) until Ctrl+C and prints where everything is.
 *
 * Exit codes: 0 after a clean stop, 64 on a usage error (unknown scenario, bad port, missing fixtures).
 */
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { isCoreError } from '../../core/errors'
import { startLab } from '../../lab/lab'
import { SCENARIOS } from '../../lab/scenarios'
import { FAULT_NAMES } from '../../lab/faults'
import { EXIT_USAGE, type CliCommand } from '../io'
import { listenFailure } from '../options'
import { parseCommandArgs } from '../args'

const HELP = `Usage: lifeline lab [--scenario NAME] [--port N] [--out DIR] [--json]

Starts the outage lab on 127.0.0.1: apt mirrors (a synthetic archive signed with lab keys generated now, and
real Ubuntu metadata served byte-exact), advisory channels (notices API, OSV files, an OSV.dev-style query API,
a GitHub-style raw copy of canonical/ubuntu-security-notices, a signed helpdesk feed, an mbox of signed
announcements) and a social-media host with a fake "emergency fix". Writes a config file, a synthetic
Ubuntu root and the lab's public keys to --out (default: a new temporary folder). Stops with Ctrl+C.

Point the app at it:
  lifeline serve --config <config> --root <root> --open

Switch faults while it runs:
  curl -X POST <control>/fault -d '{"target":"mirror-a","fault":"tampered-signature"}'
  curl -X POST <control>/scenario -d '{"name":"calm"}'

Move the lab machine through the kernel story (scenario copy-fail):
  curl -X POST <control>/machine -d '{"state":"installed"}'   (fixed kernel installed, reboot required)
  curl -X POST <control>/machine -d '{"state":"rebooted"}'    (the fixed kernel runs)
  curl -X POST <control>/machine -d '{"state":"livepatched"}' (old kernel, Livepatch covers the CVE)
  curl -X POST <control>/machine -d '{"state":"affected"}'    (back to the start)

Options:
  --scenario NAME  ${SCENARIOS.map((s) => s.name).join(', ')} (default: outage)
  --port N         control port; targets use the next ports (default: random)
  --out DIR        where config, root and keys are written
  --json           print the lab description as JSON

Scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(13)}${s.description}`).join('\n')}

Faults: ${FAULT_NAMES.join(', ')}
`

/** `lifeline lab`. */
export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'run the outage lab: loopback mirrors and channels with faults on demand',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(io, 'lab', args, {
      scenario: 'value',
      port: 'value',
      out: 'value',
      json: 'flag',
    })
    if (parsed === undefined) return EXIT_USAGE
    const { options } = parsed
    const port = options.port === undefined ? undefined : Number(options.port)
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_000)) {
      io.stderr('lifeline lab: --port must be a number from 1 to 65000\n')
      return EXIT_USAGE
    }
    if (port !== undefined) {
      // Probe the control port first: the lab starts its targets before the control listener, and a busy control
      // port after that would leave the targets listening (the process would never exit).
      const busy = await portBusy(port)
      if (busy) {
        io.stderr(`lifeline lab: ${busy}\n`)
        return EXIT_USAGE
      }
    }
    let lab
    try {
      lab = await startLab({
        scenario: typeof options.scenario === 'string' ? options.scenario : undefined,
        port,
        outDir: typeof options.out === 'string' ? resolve(io.cwd, options.out) : undefined,
      })
    } catch (e) {
      const why = isCoreError(e) ? e.message : listenFailure(e, port ?? 0)
      if (why === undefined) throw e
      io.stderr(`lifeline lab: ${why}\n`)
      return EXIT_USAGE
    }
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ controlUrl: lab.controlUrl, configFile: lab.configFile, rootDir: lab.rootDir, resourcesDir: lab.resourcesDir, fakeFixUrl: lab.fakeFixUrl, scenario: lab.scenario, machine: lab.machine(), targets: lab.targets() })}\n`,
      )
    } else {
      const lines = [
        `Lifeline outage lab — scenario "${lab.scenario}" (TEST ONLY keys; 127.0.0.1 only)`,
        '',
        ...lab
          .targets()
          .map((t) => `  ${t.id.padEnd(14)}${t.kind.padEnd(8)}${t.fault.name.padEnd(20)}${t.url}`),
        '',
        `  config     ${lab.configFile}`,
        `  root       ${lab.rootDir}`,
        `  resources  ${lab.resourcesDir}`,
        `  fake fix   ${lab.fakeFixUrl}`,
        `  control    ${lab.controlUrl}`,
        '',
        `Run the app against it:  lifeline serve --config ${lab.configFile} --root ${lab.rootDir} --open`,
        'Press Ctrl+C to stop.',
        '',
      ]
      io.stdout(lines.join('\n'))
    }
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done())
      process.once('SIGTERM', () => done())
    })
    await lab.close()
    return 0
  },
}

/** Why `port` on 127.0.0.1 cannot be listened on (in use, not allowed), or undefined when it is free. */
export async function portBusy(port: number): Promise<string | undefined> {
  const server = createServer()
  return new Promise((done) => {
    server.once('error', (e) => done(listenFailure(e, port) ?? `cannot listen on port ${port}: ${e.message}`))
    server.listen(port, '127.0.0.1', () => server.close(() => done(undefined)))
  })
}
