/**
 * Attack: a source claims to be a mirror but pins a key of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('foreign signed by', () => {
  it.each([
    [
      'sudo tee /etc/apt/sources.list.d/m.sources <<EOF\nTypes: deb\nURIs: http://archive.ubuntu.com/ubuntu\nSuites: noble\nComponents: main\nSigned-By: /etc/apt/keyrings/attacker.gpg\nEOF',
      'new-apt-source',
      'high',
    ],
    [
      'echo "deb [signed-by=/usr/share/keyrings/fix.gpg] http://mirror.example.net/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/m.list',
      'new-apt-source',
      'high',
    ],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
