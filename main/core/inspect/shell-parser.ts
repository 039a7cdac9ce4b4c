/**
 * The shell parser port: tree-sitter-bash compiled to WebAssembly (a maintained grammar, not our own regexes).
 *
 * Core stays free of `fs`: the caller hands in the two WASM files' bytes (main/node/shell-parser.ts reads them from
 * node_modules; a browser build would fetch them).
 */
import { Language, Parser } from 'web-tree-sitter'
import type { Tree } from 'web-tree-sitter'
import { CoreError } from '../errors'
import type { InspectErrorCode } from './types'

/** A loaded bash parser. `parse` returns a tree the caller must `delete()` (it lives in WASM memory). */
export interface ShellParser {
  parse(source: string): Tree
}

/** The bytes of `web-tree-sitter/tree-sitter.wasm` and `tree-sitter-bash/tree-sitter-bash.wasm`. */
export interface ShellParserWasm {
  readonly runtime: Uint8Array
  readonly bash: Uint8Array
}

let runtimeReady: Promise<void> | undefined

/**
 * Loads the bash grammar and returns a parser.
 *
 * The tree-sitter runtime is a process-wide WASM module, so it is initialised once; later calls only load the
 * grammar. Fails with INSPECT_PARSER_LOAD when the bytes are not the expected WASM modules.
 */
export async function createShellParser(wasm: ShellParserWasm): Promise<ShellParser> {
  try {
    runtimeReady ??= Parser.init({ wasmBinary: wasm.runtime })
    await runtimeReady
    const lang = await Language.load(wasm.bash)
    const parser = new Parser()
    parser.setLanguage(lang)
    return {
      parse(source: string): Tree {
        const tree = parser.parse(source)
        if (!tree)
          throw new CoreError<InspectErrorCode>('INSPECT_PARSER_LOAD', 'the shell parser returned no tree')
        return tree
      },
    }
  } catch (e) {
    if (e instanceof CoreError) throw e
    runtimeReady = undefined
    throw new CoreError<InspectErrorCode>('INSPECT_PARSER_LOAD', `cannot load the shell parser: ${String(e)}`)
  }
}
