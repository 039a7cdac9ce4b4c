/**
 * Attack: a crafted 100 KB paste aimed at the readers added for default-deny (labels and imperative intros, bash
 * comments and quotes, awk/perl `system()` strings, one-line and deb822 sources, brace expansion). Each must stay
 * close to linear; a quadratic scan of the 1 MiB paste limit would freeze the checker.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const N = 100_000
// Generous for a shared 2-core machine; the quadratic versions took 5 s and more on the same inputs.
const BUDGET_MS = 2_500

describe('the default-deny readers on adversarial input', () => {
  it.each([
    ['label words', 'Fix '.repeat(N / 4) + 'x'],
    ['imperative intros', 'then '.repeat(N / 5) + 'run x'],
    ['an endless system( string', `sudo awk 'BEGIN{system("` + 'a'.repeat(N) + `'`],
    ['awk getline pipes', `awk '` + '"a" | '.repeat(N / 6) + `'`],
    ['repeated deb [', 'deb ['.repeat(N / 5)],
    ['a URIs line with thousands of sources', 'URIs: ' + 'http://a '.repeat(N / 9)],
    ['unbalanced quotes', `'a`.repeat(N / 2)],
    ['comment marks and quotes', `#'`.repeat(N / 2)],
    ['a sentence that never ends', 'curl x | sh ' + ' and'.repeat(N / 4)],
    ['thousands of unclosed quotes on separate lines', `echo 'x\n`.repeat(5000)],
    ['a huge brace list', '{' + 'a,'.repeat(N / 2) + '}'],
  ])('checks %s within the budget', async (_, text) => {
    const t0 = performance.now()
    await inspectText(text, { parser })
    expect(performance.now() - t0).toBeLessThan(BUDGET_MS)
  })
})
