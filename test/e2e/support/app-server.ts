import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A running `lifeline serve` child process (the real CLI, backend and host). */
export interface AppServer {
  readonly url: string
  readonly origin: string
  readonly dataDir: string
  readonly output: () => string
  readonly pid: number
  /** Sends a signal to the server process (SIGSTOP/SIGCONT freeze and thaw it). */
  signal(sig: NodeJS.Signals): void
  /** Resolves when the process has exited. */
  exited(): Promise<void>
  /** Stops the process; the data folder is kept when `keepData` (to restart on the same saved state). */
  stop(keepData?: boolean): Promise<void>
}

/** How to start it: a config object (written to a temp file) or a config file, plus an optional machine root. */
export interface AppServerOptions {
  readonly configFile?: string
  readonly root?: string
  /** Reuse a data folder (the saved state of an earlier run). */
  readonly dataDir?: string
  readonly env?: Readonly<Record<string, string>>
  /** Run without --config, so the app reads its layered configuration (defaults, baked and system policies). */
  readonly layered?: boolean
  /** Listen on this port (to restart on the same address). */
  readonly port?: number
  /** Extra arguments for `lifeline serve` (e.g. --open). */
  readonly extraArgs?: readonly string[]
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Starts `lifeline serve` with the given config and a fresh (or the given) data folder. */
export async function startAppServer(config: unknown, opts: AppServerOptions = {}): Promise<AppServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-e2e-'))
  let configFile = opts.configFile
  if (!configFile && !opts.layered) {
    configFile = join(dir, 'config.json')
    await writeFile(configFile, JSON.stringify(config))
  }
  const dataDir = opts.dataDir ?? join(dir, 'data')
  const args = [join(ROOT, 'bin', 'lifeline.mjs'), 'serve', '--data-dir', dataDir]
  if (configFile) args.push('--config', configFile)
  if (opts.root) args.push('--root', opts.root)
  if (opts.port) args.push('--port', String(opts.port))
  if (opts.extraArgs) args.push(...opts.extraArgs)
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lifeline serve did not start:\n${out}`)), 30_000)
    const poll = setInterval(() => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        clearInterval(poll)
        resolve(m[1])
      }
    }, 50)
    child.once('exit', (code) => {
      clearTimeout(timer)
      clearInterval(poll)
      reject(new Error(`lifeline serve exited with ${code}:\n${out}`))
    })
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => out,
    pid: child.pid ?? 0,
    signal: (sig) => void child.kill(sig),
    exited: () => exited,
    async stop(keepData = false) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT') // in case a test froze it
        child.kill('SIGTERM')
        await exited
      }
      if (!keepData) await rm(dir, { recursive: true, force: true })
    },
  }
}
