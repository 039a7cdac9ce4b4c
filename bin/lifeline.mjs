#!/usr/bin/env node
// The `lifeline` command. In a checkout it runs the TypeScript sources through tsx (a dev dependency, present
// after `npm ci`); a packaged build ships the bundled CLI in out/cli instead.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundled = join(root, 'out', 'cli', 'main.js')
let entry
if (existsSync(join(root, 'main', 'cli', 'main.ts'))) {
  const { register } = await import('tsx/esm/api')
  register()
  entry = pathToFileURL(join(root, 'main', 'cli', 'main.ts')).href
} else {
  entry = pathToFileURL(bundled).href
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
