/**
 * Runs the real built Electron main bundle under plain Node with the fake `electron` module (no Electron binary
 * can be downloaded here), and returns what it recorded. See drive-main.mjs for the scenarios.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The built entry points and page, as electron-vite writes them. */
export const BUILT = {
  main: join(ROOT, 'out', 'main', 'index.js'),
  preload: join(ROOT, 'out', 'preload', 'index.cjs'),
  renderer: join(ROOT, 'out', 'renderer', 'index.html'),
} as const

const HERE = fileURLToPath(new URL('.', import.meta.url))
const RESULT_MARK = '@@FAKE-ELECTRON-RESULT@@'

function newestMtime(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** Whether out/ is missing or older than any source file it is built from. */
export function buildIsStale(): boolean {
  const outs = Object.values(BUILT)
  if (!outs.every((p) => existsSync(p))) return true
  const built = Math.min(...outs.map((p) => statSync(p).mtimeMs))
  const sources = Math.max(
    ...['main', 'preload', 'renderer'].map((d) => newestMtime(join(ROOT, d))),
    statSync(join(ROOT, 'electron.vite.config.ts')).mtimeMs,
  )
  return sources > built
}

/** Runs `electron-vite build` when out/ is missing or stale. */
export async function ensureBuilt(): Promise<void> {
  if (!buildIsStale()) return
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      { cwd: ROOT, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, maxBuffer: 16 << 20 },
      (err, _out, stderr) => (err ? reject(new Error(`electron-vite build failed: ${stderr}`)) : resolve()),
    ),
  )
}

/** The scenarios of drive-main.mjs. */
export type FakeElectronScenario = 'full' | 'second-instance' | 'start-only'

/** What a run produced. `result` is the driver's JSON (see drive-main.mjs for its shape). */
export interface FakeElectronRun {
  readonly exitCode: number | null
  /** Killed because the app did not exit on its own after quitting (a leaked timer or socket). */
  readonly killed: boolean
  readonly stderr: string
  readonly result: DriverResult
}

/** The driver's report (JSON from the child; fields are checked by the tests). */
export interface DriverResult {
  readonly scenario: string
  readonly errors: string[]
  readonly [k: string]: unknown
}

/**
 * Runs the bundle in a child Node process with `--import register.mjs` (a resolve hook mapping 'electron' to the
 * fake). `env` adds to a clean environment: pass LIFELINE_RESOURCES, FAKE_ELECTRON_USER_DATA, HOME, XDG_CONFIG_HOME.
 */
export function runMainWithFakeElectron(
  scenario: FakeElectronScenario,
  env: Readonly<Record<string, string>>,
  timeoutMs = 25_000,
): Promise<FakeElectronRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', join(HERE, 'register.mjs'), join(HERE, 'drive-main.mjs'), BUILT.main, scenario],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LANG: 'C.UTF-8',
          TZ: 'UTC',
          ...(scenario === 'second-instance' ? { FAKE_ELECTRON_LOCK: '0' } : {}),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', reject)
    const started = Date.now()
    child.on('close', (code) => {
      if (process.env.FAKE_ELECTRON_TIMING)
        process.stderr.write(`fake electron ${scenario}: ${Date.now() - started} ms\n`)
      clearTimeout(timer)
      const at = stdout.lastIndexOf(RESULT_MARK)
      if (at < 0) {
        reject(new Error(`no result from the fake Electron run (exit ${code}):\n${stderr}\n${stdout}`))
        return
      }
      const line = stdout.slice(at + RESULT_MARK.length).split('\n')[0] ?? ''
      resolve({ exitCode: code, killed, stderr, result: JSON.parse(line) as DriverResult })
    })
  })
}
