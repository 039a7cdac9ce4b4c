/**
 * Attack: a preload library or linker path is slipped into a root command or the system.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('ld preload root', () => {
  it.each([
    ['sudo LD_PRELOAD=/tmp/fix.so apt update', 'ld-preload', 'high'],
    ['echo /tmp/fixlibs | sudo tee /etc/ld.so.conf.d/fix.conf', 'ld-preload', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
