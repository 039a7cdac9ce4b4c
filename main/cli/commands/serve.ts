import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createAppBackend } from '../../node/app'
import { startLoopbackHost } from '../../node/host/server'
import { CHROMIUM_CANDIDATES, defaultDataDir, rendererDir } from '../../node/paths'
import { EXIT_USAGE, type CliCommand } from '../io'
import { listenFailure } from '../options'
import { parseOptions } from '../run'

const HELP = `Usage: lifeline serve [--port N] [--config FILE] [--data-dir DIR] [--root DIR] [--open]

Runs the Lifeline app in browser mode: the engine and the UI's API on a loopback-only web server
(127.0.0.1, random port unless --port), protected by a random per-run token. Prints the URL to open
(the token is in its #fragment). Stops with Ctrl+C.

Options:
  --port N         listen on this port (default: a random free port)
  --config FILE    use this configuration file instead of the built-in defaults
  --data-dir DIR   where the last verified state is kept (default: $XDG_DATA_HOME/lifeline)
  --root DIR       read this machine's files (etc/os-release, dpkg status) under DIR (default: /)
  --open           open the UI in Chromium's app mode when a Chromium is installed
`

/** `lifeline serve`: browser mode. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the app in browser mode on 127.0.0.1 and print its URL',
  help: HELP,
  async run(args, io) {
    const parsed = parseOptions(args, {
      port: 'value',
      config: 'value',
      'data-dir': 'value',
      root: 'value',
      open: 'flag',
    })
    if ('error' in parsed) {
      io.stderr(`lifeline serve: ${parsed.error}\n`)
      return EXIT_USAGE
    }
    const { options } = parsed
    const port = options.port === undefined ? 0 : Number(options.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr(`lifeline serve: --port must be a number from 0 to 65535\n`)
      return EXIT_USAGE
    }
    const renderer = rendererDir(io.env)
    if (!existsSync(join(renderer, 'index.html'))) {
      io.stderr(`lifeline serve: the UI is not built (${renderer} is missing). Run: npm run build\n`)
      return EXIT_USAGE
    }
    const app = await createAppBackend({
      dataDir: typeof options['data-dir'] === 'string' ? options['data-dir'] : defaultDataDir(io.env),
      configFile: typeof options.config === 'string' ? options.config : undefined,
      root: typeof options.root === 'string' ? options.root : '/',
      shell: 'browser',
      log: { info() {}, warn: (m) => io.stderr(`warning: ${m}\n`), error: (m) => io.stderr(`error: ${m}\n`) },
    })
    if (!app.ok) {
      io.stderr(`lifeline serve: ${app.message}\n`)
      return EXIT_USAGE
    }
    let host
    try {
      host = await startLoopbackHost({ backend: app.value, rendererDir: renderer, port })
    } catch (e) {
      const why = listenFailure(e, port)
      if (why === undefined) throw e
      io.stderr(`lifeline serve: ${why}\n`)
      return EXIT_USAGE
    }
    await app.value.start()
    io.stdout(`Lifeline is running in browser mode at:\n  ${host.url}\n`)
    if (options.open) io.stdout(`${openMessage(openInChromium(host.url, io.env))}\n`)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    app.value.stop()
    await host.close()
    return 0
  },
}

/** What `openInChromium` did, as one line for the user. */
export type OpenResult = 'opened' | 'no-chromium' | 'no-display'

/** The line printed after `--open`. */
export function openMessage(r: OpenResult): string {
  if (r === 'opened') return 'Opened in Chromium (app mode).'
  if (r === 'no-display') return 'No display ($DISPLAY or $WAYLAND_DISPLAY): open the URL above in a browser.'
  return 'No Chromium found: open the URL above in a browser.'
}

/**
 * Opens the URL in a Chromium app window with a throwaway profile.
 *
 * Without a display (a server, an SSH session) Chromium starts and exits at once, so the user would be told the UI
 * opened when nothing did: we do not start it there.
 */
export function openInChromium(url: string, env: Readonly<Record<string, string | undefined>>): OpenResult {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no-display'
  const exe = [env.CHROMIUM, ...CHROMIUM_CANDIDATES].find((p): p is string => !!p && existsSync(p))
  if (!exe) return 'no-chromium'
  const profile = join(defaultDataDir(env), 'chromium-profile')
  const flags = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ]
  // Chromium refuses to start as root without this; its sandbox cannot run there anyway.
  if (process.getuid?.() === 0) flags.push('--no-sandbox')
  const child = spawn(exe, flags, { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
  return 'opened'
}
