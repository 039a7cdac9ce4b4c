// Bundles the `lifeline` command into out/cli/main.js (ESM exporting main(); npm packages stay external and load
// from node_modules), so bin/lifeline.mjs starts it without compiling TypeScript. Each command is its own chunk
// (main/cli/commands/index.ts loads them on demand), so `lifeline --version` or `check` never parses the
// modules of the others (the shell parser, the lab, the host). Also writes
// out/cli/inputs.json, the source files the bundle was built from with their modification times, which
// bin/lifeline.mjs checks to run the sources instead when one of them changed since.
import { build } from 'esbuild'
import { rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = join(ROOT, 'out', 'cli')
const outfile = join(outdir, 'main.js')
// Chunks of an older build would stay beside the new ones.
rmSync(outdir, { recursive: true, force: true })
const result = await build({
  entryPoints: [join(ROOT, 'main', 'cli', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node20',
  outdir,
  splitting: true,
  // Chunks sit beside main.js: code that finds the app root from its own file (main/node/paths.ts) relies on it.
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
})
const inputs = Object.keys(result.metafile.inputs)
  .map((p) => join(ROOT, p))
  .map((p) => [relative(ROOT, p), statSync(p).mtimeMs])
writeFileSync(join(ROOT, 'out', 'cli', 'inputs.json'), `${JSON.stringify({ version: 1, inputs })}\n`)
console.log(`build-cli: ${relative(ROOT, outfile)} from ${inputs.length} source files`)
