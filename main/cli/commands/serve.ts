import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createAppBackend } from '../../node/app'
import { startLoopbackHost } from '../../node/host/server'
import { CHROMIUM_CANDIDATES, defaultDataDir, rendererDir } from '../../node/paths'
import { EXIT_USAGE, type CliCommand } from '../io'
import { listenFailure } from '../options'
import { parseCommandArgs, textOption } from '../args'

const HELP = `Usage: lifeline serve [--port N] [--config FILE] [--data-dir DIR] [--root DIR] [--open]

Runs the Lifeline app in browser mode: the engine and the UI's API on a loopback-only web server
(127.0.0.1, random port unless --port), protected by a random per-run token. Prints the URL to open
(the token is in its #fragment). Stops with Ctrl+C, which also closes the window --open opened.

Options:
  --port N         listen on this port (default: a random free port)
  --config FILE    use this configuration file instead of the built-in defaults
  --data-dir DIR   where the last verified state is kept (default: $XDG_DATA_HOME/lifeline)
  --root DIR       read this machine's files (etc/os-release, dpkg status) under DIR (default: /)
  --open           open the UI in Chromium's app mode when a Chromium is installed (its command line
                   carries a one-time code, never the token; its profile is kept in the data folder)
`

/** `lifeline serve`: browser mode. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the app in browser mode on 127.0.0.1 and print its URL',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(io, 'serve', args, {
      port: 'value',
      config: 'value',
      'data-dir': 'value',
      root: 'value',
      open: 'flag',
    })
    if (parsed === undefined) return EXIT_USAGE
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
    const dataDir = resolve(textOption(parsed, 'data-dir') ?? defaultDataDir(io.env))
    const app = await createAppBackend({
      dataDir,
      configFile: textOption(parsed, 'config'),
      root: textOption(parsed, 'root') ?? '/',
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
    // The browser gets a one-time code, never the session token: its command line is world-readable in /proc.
    const browser = options.open ? openInChromium(() => host.issueBootstrapUrl(), io.env, dataDir) : undefined
    if (browser) io.stdout(`${openMessage(browser.result)}\n`)
    await new Promise<void>((done) => {
      const stop = (): void => done()
      // `on`, not `once`: Ctrl+C under `npm start` delivers SIGINT twice (the terminal's, and the one start.mjs
      // forwards). A second one with no listener would kill Lifeline mid-shutdown and leave the window open.
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    app.value.stop()
    // The page hears "stopping" and closes its app window; the browser we started is ended if it is still there.
    await host.close()
    await browser?.close()
    return 0
  },
}

/** What `openInChromium` did, as one line for the user. */
export type OpenResult = 'opened' | 'no-chromium' | 'no-display' | 'unsafe-profile'

/** The line printed after `--open`. */
export function openMessage(r: OpenResult): string {
  switch (r) {
    case 'opened':
      return 'Opened in Chromium (app mode).'
    case 'no-display':
      return 'No display ($DISPLAY or $WAYLAND_DISPLAY): open the URL above in a browser.'
    case 'no-chromium':
      return 'No Chromium found: open the URL above in a browser.'
    case 'unsafe-profile':
      return (
        "Chromium was not started: its profile folder (chromium-profile in the data folder) is another user's, " +
        'a link, or in a folder other users can change. Open the URL above in a browser.'
      )
  }
}

/**
 * Makes the window's profile folder private, or says it cannot be.
 *
 * The profile holds the session token (the tab's storage) and the window's history. A folder another user owns, a
 * symbolic link, or a data folder other users can write (they could swap the profile) would hand them both, so
 * Chromium is not started with it. A folder of ours that is merely readable by others (made by an older Lifeline or
 * under a loose umask) is narrowed to 0700.
 */
export function prepareProfileDir(profileDir: string, uid: number | undefined): boolean {
  try {
    mkdirSync(dirname(profileDir), { recursive: true, mode: 0o700 })
    const parent = statSync(dirname(profileDir))
    if (uid !== undefined && parent.uid !== uid && parent.uid !== 0) return false
    if ((parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0) return false
    mkdirSync(profileDir, { mode: 0o700, recursive: false })
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'EEXIST') return false
  }
  try {
    const st = lstatSync(profileDir)
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) return false
    if ((st.mode & 0o077) !== 0) chmodSync(profileDir, 0o700)
    return true
  } catch {
    return false
  }
}

/** What the sandbox decision needs to know about this machine. */
export interface SandboxFacts {
  /** The effective user id (0 = root), or undefined where there is none. */
  readonly uid: number | undefined
  /** Unprivileged user namespaces work here (Chromium's default sandbox on Linux). */
  readonly userNamespaces: boolean
  /** A setuid `chrome-sandbox` helper is installed beside the browser (Chromium's fallback sandbox). */
  readonly suidSandbox: boolean
}

/**
 * The Chromium flags for Lifeline's app window.
 *
 * - `--no-sandbox` only when Chromium cannot start otherwise: as root (it refuses to run sandboxed as root) or when
 *   neither user namespaces nor a setuid sandbox helper are available. Everywhere else the renderer stays sandboxed.
 * - `--test-type` keeps Chromium's start-up infobars ("You are using an unsupported command-line flag", missing API
 *   keys, default browser) out of the app window. Chromium skips those infobars when it sees this switch
 *   (chrome/browser/ui/startup/infobar_utils.cc, `AddInfoBarsIfNecessary`); unlike `--enable-automation` it adds
 *   no "controlled by automated software" bar and does not mark the page as automated. ChromeDriver passes it for
 *   the same reason.
 * - the profile is a folder of Lifeline's data folder, so the window shares nothing with the user's browser.
 */
export function chromiumFlags(url: string, profileDir: string, facts: SandboxFacts): string[] {
  const flags = [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--test-type',
  ]
  if (facts.uid === 0 || (!facts.userNamespaces && !facts.suidSandbox)) flags.push('--no-sandbox')
  return flags
}

/** Reads the sandbox facts of this machine for the browser `exe` (Linux /proc/sys files; absent means allowed). */
export function sandboxFacts(exe: string): SandboxFacts {
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(p, 'utf8').trim()
    } catch {
      return undefined
    }
  }
  const userNamespaces =
    read('/proc/sys/kernel/unprivileged_userns_clone') !== '0' &&
    read('/proc/sys/user/max_user_namespaces') !== '0' &&
    read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') !== '1'
  const helpers = [join(dirname(safeRealpath(exe)), 'chrome-sandbox'), '/usr/lib/chromium/chrome-sandbox']
  const suidSandbox = helpers.some((h) => {
    try {
      const st = statSync(h)
      return st.uid === 0 && (st.mode & 0o4000) !== 0
    } catch {
      return false
    }
  })
  return { uid: process.getuid?.(), userNamespaces, suidSandbox }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** A browser window Lifeline started: what happened, and how to end it when the server stops. */
export interface BrowserLaunch {
  readonly result: OpenResult
  /** Ends the browser process if it is still running (the page normally closes its window itself first). */
  close(): Promise<void>
}

/**
 * Opens the UI in a Chromium app window whose profile lives in the data folder.
 *
 * `makeUrl` is called only when a browser is really started, so no one-time code is issued for nothing. Without a
 * display (a server, an SSH session) Chromium starts and exits at once, so the user would be told the UI opened when
 * nothing did: we do not start it there.
 */
export function openInChromium(
  makeUrl: () => string,
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): BrowserLaunch {
  const none = (result: OpenResult): BrowserLaunch => ({ result, close: async () => undefined })
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return none('no-display')
  const exe = [env.CHROMIUM, ...CHROMIUM_CANDIDATES].find((p): p is string => !!p && existsSync(p))
  if (!exe) return none('no-chromium')
  const profileDir = join(dataDir, 'chromium-profile')
  if (!prepareProfileDir(profileDir, process.getuid?.())) return none('unsafe-profile')
  const flags = chromiumFlags(makeUrl(), profileDir, sandboxFacts(exe))
  // Its own process group, so Ctrl+C in the terminal reaches Lifeline, which then closes the window in order.
  const child: ChildProcess = spawn(exe, flags, { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
  const exited = new Promise<void>((ok) => {
    child.once('exit', () => ok())
    child.once('error', () => ok())
  })
  return {
    result: 'opened',
    async close() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
      // Keep the process alive while we wait (the child was unref'd so it never held Lifeline open by itself).
      child.ref()
      // Give the window a moment to close itself on the host's "stopping" event.
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 1_000))])
      if (child.exitCode !== null || child.signalCode !== null) return
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 2_000))])
    },
  }
}
