/**
 * The shell parser port: tree-sitter-bash compiled to WebAssembly (a maintained grammar, not our own regexes).
 *
 * Core stays free of `fs`: the caller hands in the two WASM files' bytes (main/node/shell-parser.ts reads them from
 * node_modules; a browser build would fetch them).
 */
import { Language, Parser } from 'web-tree-sitter'
import type { Tree } from 'web-tree-sitter'
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { InspectErrorCode } from './types'

/**
 * A loaded bash parser. `parse` returns a tree the caller must `delete()` (it lives in WASM memory).
 *
 * Throws INSPECT_TOO_COMPLEX for a source over Limits.inspect.maxParseChars or one that takes longer than the
 * parse budget, and INSPECT_PARSER_CRASHED once the WASM module has aborted (it cannot be restarted in-process).
 */
export interface ShellParser {
  parse(source: string): Tree
}

/** Options of `createShellParser`; tests shorten the budget. */
export interface ShellParserOptions {
  /** CPU time one parse may take; default Limits.inspect.parseBudgetMs. */
  readonly budgetMs?: number | undefined
  /**
   * Monotonic milliseconds for the budget only (never a trust decision, so not the Clock port); default
   * `performance.now`, a global of Node 20 and browsers.
   */
  readonly now?: (() => number) | undefined
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
export async function createShellParser(
  wasm: ShellParserWasm,
  opts: ShellParserOptions = {},
): Promise<ShellParser> {
  const budgetMs = opts.budgetMs ?? Limits.inspect.parseBudgetMs
  const now = opts.now ?? (() => performance.now())
  try {
    runtimeReady ??= Parser.init({ wasmBinary: wasm.runtime })
    await runtimeReady
    const lang = await Language.load(wasm.bash)
    const parser = new Parser()
    parser.setLanguage(lang)
    let crashed = false
    return {
      parse(source: string): Tree {
        if (crashed) {
          throw new CoreError<InspectErrorCode>('INSPECT_PARSER_CRASHED', 'the shell parser crashed earlier')
        }
        if (source.length > Limits.inspect.maxParseChars) {
          throw new CoreError<InspectErrorCode>(
            'INSPECT_TOO_COMPLEX',
            `a command region of ${source.length} characters is over ${Limits.inspect.maxParseChars}`,
            { chars: source.length },
          )
        }
        const start = now()
        let tree: Tree | null
        try {
          // A parse the budget cancelled is resumed by the next call unless the parser is reset (web-tree-sitter,
          // `Parser.reset`): without this the next paste came back as the rest of the old one, its commands unseen
          // (test/security/inspect-parser-resume-after-timeout.test.ts).
          parser.reset()
          // tree-sitter calls this every few thousand steps; returning true cancels the parse (parse → null).
          tree = parser.parse(source, null, { progressCallback: () => now() - start > budgetMs })
        } catch (e) {
          // An Emscripten abort (out of WASM memory in error recovery) leaves the module unusable; say so with a
          // code instead of letting a RuntimeError escape, and refuse every later parse the same way.
          crashed = true
          throw new CoreError<InspectErrorCode>(
            'INSPECT_PARSER_CRASHED',
            `the shell parser crashed: ${String(e)}`,
          )
        }
        if (!tree) {
          throw new CoreError<InspectErrorCode>(
            'INSPECT_TOO_COMPLEX',
            `parsing took over ${budgetMs} ms; the text is too complex to check`,
            { chars: source.length },
          )
        }
        return tree
      },
    }
  } catch (e) {
    if (e instanceof CoreError) throw e
    runtimeReady = undefined
    throw new CoreError<InspectErrorCode>('INSPECT_PARSER_LOAD', `cannot load the shell parser: ${String(e)}`)
  }
}
