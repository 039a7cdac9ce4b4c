/**
 * A machine with a saved last report, for the figures that start from cached state (`check --offline`,
 * the overview's first render).
 *
 * The outage lab (main/lab) serves a calm archive on 127.0.0.1 and writes a config, a synthetic Ubuntu root and a
 * resources folder pinning its keys; the real app backend runs one full check against it and saves its report in
 * the data dir; then the lab is closed, so what follows sees every source down and only the saved state.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startLab } from '../../main/lab/lab'
import { createAppBackend } from '../../main/node/app'

/** Paths of a saved-state environment. */
export interface SavedState {
  readonly configFile: string
  readonly rootDir: string
  /** Pass as LIFELINE_RESOURCES so the lab's keys are pinned. */
  readonly resourcesDir: string
  readonly dataDir: string
  /** Files in `<dataDir>/state` after the check. */
  readonly stateFiles: readonly string[]
  /** How long the online check took (ms). */
  readonly checkMs: number
}

let cached: Promise<SavedState> | undefined

async function build(tmp: string): Promise<SavedState> {
  const lab = await startLab({ scenario: 'calm', outDir: join(tmp, 'lab') })
  const dataDir = join(tmp, 'data')
  try {
    const app = await createAppBackend({
      dataDir,
      configFile: lab.configFile,
      root: lab.rootDir,
      resourcesDir: lab.resourcesDir,
      shell: 'browser',
    })
    if (!app.ok) throw new Error(`backend: ${app.message}`)
    const backend = app.value
    const t0 = performance.now()
    const done = new Promise<void>((resolve) => {
      const off = backend.status.subscribe((s) => {
        if (s.state.kind === 'ready' || s.state.kind === 'no-source') {
          off()
          resolve()
        }
      })
    })
    await backend.start()
    await Promise.race([
      done,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the online check took over 60 s')), 60_000),
      ),
    ])
    const checkMs = performance.now() - t0
    backend.stop()
    // The report is saved asynchronously after the state change.
    const stateDir = join(dataDir, 'state')
    for (let i = 0; i < 100 && !existsSync(join(stateDir, 'last-report.json')); i++) {
      await new Promise((r) => setTimeout(r, 20))
    }
    if (!existsSync(join(stateDir, 'last-report.json'))) throw new Error('no last report was saved')
    return {
      configFile: lab.configFile,
      rootDir: lab.rootDir,
      resourcesDir: lab.resourcesDir,
      dataDir,
      stateFiles: readdirSync(stateDir),
      checkMs,
    }
  } finally {
    await lab.close()
  }
}

/** Builds the environment once per bench run (under `tmp`) and returns the same one afterwards. */
export function savedState(tmp: string): Promise<SavedState> {
  cached ??= build(tmp)
  return cached
}
