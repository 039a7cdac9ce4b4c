import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The app's data folder: `$LIFELINE_DATA_DIR`, else `$XDG_DATA_HOME/lifeline`, else `~/.local/share/lifeline`. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.LIFELINE_DATA_DIR) return resolve(env.LIFELINE_DATA_DIR)
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(base, 'lifeline')
}

/** The repository (or packaged app) root, found from this file: `main/node/` in a checkout, `out/main/` when built. */
export function appRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
}

/** Where the built renderer is (`out/renderer`). */
export function rendererDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LIFELINE_RENDERER_DIR ? resolve(env.LIFELINE_RENDERER_DIR) : join(appRoot(), 'out', 'renderer')
}

/** Candidate Chromium executables, in order of preference. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
]
