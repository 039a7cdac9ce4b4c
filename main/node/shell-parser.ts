/**
 * Loads the tree-sitter runtime and bash grammar WASM files from node_modules and builds the core's ShellParser.
 *
 * Core never touches the disk (main/core/README.md): this adapter reads the bytes and hands them over.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createShellParser } from '../core/inspect/shell-parser'
import type { ShellParser } from '../core/inspect/shell-parser'

let cached: Promise<ShellParser> | undefined

/** Where the two WASM files are; resolved through Node's module resolution so a packaged app finds them too. */
export function shellParserWasmPaths(): { runtime: string; bash: string } {
  const require = createRequire(import.meta.url)
  return {
    runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
    bash: require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'),
  }
}

/** Loads the bash parser once per process (about 25 ms) and returns the same instance afterwards. */
export function loadShellParser(): Promise<ShellParser> {
  cached ??= (async () => {
    const paths = shellParserWasmPaths()
    const [runtime, bash] = await Promise.all([readFile(paths.runtime), readFile(paths.bash)])
    return createShellParser({ runtime: new Uint8Array(runtime), bash: new Uint8Array(bash) })
  })().catch((e: unknown) => {
    cached = undefined
    throw e
  })
  return cached
}
