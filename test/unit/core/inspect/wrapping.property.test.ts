import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import type { Verdict } from '../../../../main/core/inspect/types'
import { loadShellParser } from '../../../../main/node/shell-parser'
import { DANGEROUS, LEGIT } from './corpus-samples'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const RANK: Record<Verdict, number> = { verified: 0, caution: 1, dangerous: 2 }

/** Replaces the first line of `text` with `f(firstLine)`. */
function onFirst(text: string, f: (line: string) => string): string {
  const [first = '', ...rest] = text.split('\n')
  return [f(first), ...rest].join('\n')
}

/** The ways a post surrounds a command; each keeps what bash would run. */
const wrapper: fc.Arbitrary<{ name: string; wrap: (t: string) => string }> = fc.oneof(
  fc.constantFrom(`# don't worry, it's "safe"`, `# the "official" fix, it's from the forum`).map((c) => ({
    name: `comment ${c}`,
    // A trailing comment after a here-doc's terminator would change the terminator, so the comment then goes above.
    wrap: (t: string) => (t.includes('<<') ? `${c}\n${t}` : `${c}\n${t}   ${c}`),
  })),
  fc
    .oneof(
      fc.constantFrom(
        '',
        'bash',
        'sh',
        'console',
        'text',
        'yaml',
        'python',
        'plaintext',
        'none',
        'ini',
        'powershell',
      ),
      fc.stringMatching(/^[a-z][a-z0-9+-]{0,8}$/),
    )
    .chain((lang) =>
      fc.constantFrom('```', '~~~').map((marker) => ({
        name: `fence ${marker}${lang}`,
        wrap: (t: string) => `${marker}${lang}\n${t}\n${marker}`,
      })),
    ),
  fc.constantFrom('- ', '* ', '1. ', '2) ', '• ', '> ').map((m) => ({
    name: `list marker ${m}`,
    wrap: (t: string) => onFirst(t, (l) => m + l),
  })),
  fc.constantFrom('$ ', 'user@host:~$ ', '# ', 'root@box:/# ', '(venv) $ ').map((p) => ({
    name: `prompt ${p}`,
    wrap: (t: string) => onFirst(t, (l) => p + l),
  })),
  fc
    .constantFrom(
      'Then run ',
      'UPDATE: ',
      'Fix: ',
      'Just paste this: ',
      'Step 3: ',
      'Solution - ',
      'Next, run ',
    )
    .map((p) => ({ name: `prose ${p}`, wrap: (t: string) => onFirst(t, (l) => p + l) })),
)

describe('wrapping a dangerous sample', () => {
  it('in a comment with quotes, a fence of any language, a list marker, a prompt or a prose prefix never lowers its verdict', async () => {
    const base = new Map<string, Verdict>()
    for (const s of DANGEROUS) base.set(s.text, (await inspectText(s.text, { parser })).verdict)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DANGEROUS), wrapper, async (sample, w) => {
        const wrapped = w.wrap(sample.text)
        const r = await inspectText(wrapped, { parser })
        expect(RANK[r.verdict], `${w.name}:\n${wrapped}`).toBeGreaterThanOrEqual(
          RANK[base.get(sample.text) ?? 'dangerous'],
        )
      }),
      { numRuns: 400, seed: 20261206 },
    )
  })

  it('never makes a legitimate sample dangerous', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LEGIT), wrapper, async (sample, w) => {
        const wrapped = w.wrap(sample.text)
        const r = await inspectText(wrapped, { parser })
        expect(r.verdict, `${w.name}:\n${wrapped}`).not.toBe('dangerous')
      }),
      { numRuns: 200, seed: 20261206 },
    )
  })
})
