/**
 * Review finding: regular expressions of the instruction checker scanned pasted text in quadratic time.
 *
 * Pasted text is attacker-chosen and may be 1 MB (Limits.size.pastedTextBytes). Before the fix, `\s*[= ]\s*` after
 * an apt option name, an unbounded URL scheme `[a-z][a-z0-9+.-]*://` after every word boundary, `\[[^\]]*` from
 * every `[` and `[oa]*[ao][oa]*` in a chmod mode each took seconds on 80 KB
 * (minutes on 1 MB), freezing the process that runs the checker. Each case here took over 3 s at this size before
 * the fix; the bound is generous for a loaded 2-core machine, and detection must still work after the fix.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const N = 120_000
const BOUND_MS = 2_500

const CASES: readonly (readonly [string, string])[] = [
  ['spaces after an apt option name', 'AllowUnauthenticated' + ' '.repeat(N) + 'x'],
  ['a long dotted run before ://', 'a.'.repeat(N / 2) + '@'],
  ['repeated host-like labels', 'x.ubuntu.com.'.repeat(N / 13)],
  ['many open brackets after deb', 'deb ' + '[ '.repeat(N / 2)],
  ['a long chmod mode', 'chmod ' + 'a'.repeat(N) + ' /etc/passwd'],
]

describe('review: quadratic regular expressions in the instruction checker', () => {
  describe.each(CASES)('when the pasted text has %s', (_name, text) => {
    it(`returns a report within ${BOUND_MS} ms`, async () => {
      const t0 = performance.now()
      const r = await inspectText(text, { parser })
      expect(performance.now() - t0).toBeLessThan(BOUND_MS)
      expect(['caution', 'dangerous']).toContain(r.verdict)
    })
  })

  describe('when the rewritten patterns meet the texts they exist for', () => {
    it.each([
      ['sudo apt-get -o Acquire::AllowInsecureRepositories=true update', 'allow-unauthenticated'],
      [
        'echo \'APT::Get::AllowUnauthenticated "true";\' | sudo tee /etc/apt/apt.conf.d/99x',
        'allow-unauthenticated',
      ],
      [
        'echo "deb [arch=amd64 trusted=yes] http://fix.example.org/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/x.list',
        'trusted-yes',
      ],
      ['sudo chmod o+w /etc/shadow', 'world-writable'],
      ['sudo chmod a+rwx /usr/bin', 'world-writable'],
    ])('still flags %s as %s', async (text, rule) => {
      const r = await inspectText(text, { parser })
      expect(r.findings.map((f) => f.rule)).toContain(rule)
    })
  })
})
