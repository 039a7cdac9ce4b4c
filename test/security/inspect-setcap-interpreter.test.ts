/**
 * Attack: file capabilities make an interpreter a root shell for every user.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('setcap interpreter', () => {
  it.each([
    ['sudo setcap cap_setuid+ep /usr/bin/python3', 'capabilities', 'high'],
    ['sudo setcap cap_dac_override+eip /usr/bin/vim.basic', 'capabilities', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
