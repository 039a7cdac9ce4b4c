/**
 * Attack: `sudo npx` (or `pipx run`) downloads a package and runs it as root in one go.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('root npx', () => {
  it.each([
    ['sudo npx cve-2026-fix', 'root-package-manager', 'high'],
    ['sudo pipx run openssl-patch', 'root-package-manager', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
