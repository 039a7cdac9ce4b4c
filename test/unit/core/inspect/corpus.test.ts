import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../../../main/node/shell-parser'

const dir = join(__dirname, '../../../fixtures/instructions')
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<
  string,
  { verdict: 'verified' | 'caution' | 'dangerous'; rules: string[] }
>

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('inspectText on the instruction corpus', () => {
  it('has at least 60 samples, with both fake fixes and benign advice', () => {
    const entries = Object.values(manifest)
    expect(entries.length).toBeGreaterThanOrEqual(60)
    expect(entries.filter((e) => e.verdict === 'dangerous').length).toBeGreaterThanOrEqual(30)
    expect(entries.filter((e) => e.verdict !== 'dangerous').length).toBeGreaterThanOrEqual(25)
  })

  describe.each(Object.entries(manifest))('when checking %s', (file, expected) => {
    it(`returns ${expected.verdict} with rules [${expected.rules.join(', ')}]`, async () => {
      const text = readFileSync(join(dir, file), 'utf8')
      const report = await inspectText(text, { parser })
      expect(report.verdict).toBe(expected.verdict)
      const rules = new Set(report.findings.map((f) => f.rule))
      for (const r of expected.rules) expect(rules).toContain(r)
      // Every span points inside its line.
      const lines = text.split('\n')
      for (const f of report.findings) {
        expect(f.start).toBeLessThanOrEqual(f.end)
        expect(f.end).toBeLessThanOrEqual((lines[f.line - 1] ?? '').length)
      }
      // Benign advice may still run a program Lifeline does not know as root (default-deny: caution), nothing else.
      if (file.startsWith('benign-'))
        expect(
          report.findings.filter((f) => f.severity !== 'low' && f.rule !== 'unknown-root-command'),
        ).toEqual([])
    })
  })
})
