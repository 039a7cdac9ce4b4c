import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A running `lifeline serve` child process (the real CLI, backend and host). */
export interface AppServer {
  readonly url: string
  readonly origin: string
  readonly output: () => string
  stop(): Promise<void>
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Starts `lifeline serve` with the given config object (written to a temp file) and a fresh data folder. */
export async function startAppServer(config: unknown): Promise<AppServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-e2e-'))
  const configFile = join(dir, 'config.json')
  await writeFile(configFile, JSON.stringify(config))
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'lifeline.mjs'), 'serve', '--config', configFile, '--data-dir', join(dir, 'data')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
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
  return {
    url,
    origin: new URL(url).origin,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
