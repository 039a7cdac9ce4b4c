#!/usr/bin/env node
// The `lifeline` command. A packaged build ships the bundled CLI (out/cli/main.js). In a checkout it runs that
// bundle too when `npm run build` made it and no source it was built from has changed since
// (out/cli/inputs.json, written by scripts/build-cli.mjs); otherwise it runs the TypeScript sources through tsx
// (a dev dependency, present after `npm ci`), which costs about a second of compiling at every start.
// LIFELINE_CLI=source forces the sources, LIFELINE_CLI=bundle the bundle.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundled = join(root, 'out', 'cli', 'main.js')
const sources = join(root, 'main', 'cli', 'main.ts')

/** Whether the bundle exists and was built from the sources as they are now. */
function bundleIsFresh() {
  if (!existsSync(bundled)) return false
  try {
    const { inputs } = JSON.parse(readFileSync(join(root, 'out', 'cli', 'inputs.json'), 'utf8'))
    return inputs.every(([file, mtimeMs]) => statSync(join(root, file)).mtimeMs === mtimeMs)
  } catch {
    // No record of the inputs (an older build), or a source file gone: the sources decide.
    return false
  }
}

const mode = process.env.LIFELINE_CLI
let entry
if (!existsSync(sources) || mode === 'bundle' || (mode !== 'source' && bundleIsFresh())) {
  entry = pathToFileURL(bundled).href
} else {
  if (process.stderr.isTTY && mode !== 'source') {
    process.stderr.write(
      existsSync(bundled)
        ? 'lifeline: the sources changed since the last build; running them directly (slower start). `npm run build` refreshes the bundle.\n'
        : 'lifeline: running from the TypeScript sources (slower start); `npm run build` makes the fast bundle.\n',
    )
  }
  const { register } = await import('tsx/esm/api')
  register()
  entry = pathToFileURL(sources).href
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
