/**
 * Property/fuzz helpers: mutations of real inputs, and a runner that checks a parser only ever returns or throws
 * a CoreError, within a time bound per case, and counts the cases run.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { expect } from 'vitest'
import { CoreError } from '../../../main/core/errors'

/** Reads a committed fixture as text (first `maxChars` characters). */
export function fixtureText(path: string, maxChars = Number.POSITIVE_INFINITY): string {
  const t = readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'latin1')
  return Buffer.from(t, 'latin1').toString('utf8').slice(0, maxChars)
}

/** One edit of a mutation. */
interface Edit {
  readonly at: number
  readonly kind: 'delete' | 'insert' | 'replace' | 'duplicate-line' | 'truncate' | 'swap-lines'
  readonly text: string
  readonly len: number
}

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate-line', 'truncate', 'swap-lines'),
  text: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom(
      '\n',
      '\n\n',
      ':',
      ' ',
      '\t',
      '-----BEGIN PGP SIGNATURE-----\n',
      '{',
      '}',
      '"',
      '\r\n',
      '\u0000',
      'From ',
    ),
  ),
  len: fc.integer({ min: 1, max: 64 }),
})

function apply(base: string, edits: readonly Edit[]): string {
  let s = base
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % s.length
    switch (e.kind) {
      case 'delete':
        s = s.slice(0, at) + s.slice(at + e.len)
        break
      case 'insert':
        s = s.slice(0, at) + e.text + s.slice(at)
        break
      case 'replace':
        s = s.slice(0, at) + e.text + s.slice(at + e.text.length)
        break
      case 'truncate':
        s = s.slice(0, at)
        break
      case 'duplicate-line':
      case 'swap-lines': {
        const start = s.lastIndexOf('\n', at) + 1
        const end = s.indexOf('\n', at)
        const line = s.slice(start, end < 0 ? s.length : end + 1)
        if (e.kind === 'duplicate-line') s = s.slice(0, start) + line + line + s.slice(start + line.length)
        else s = s.slice(0, start) + s.slice(start + line.length) + line
        break
      }
    }
  }
  return s
}

/** Mutations of `base` (1–8 edits), plus, one case in ten, random text. */
export function mutationsOf(...bases: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 8 }))
        .map(([b, e]) => apply(b, e)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
  )
}

/** Totals printed at the end of the fuzz suite. */
export const fuzzTotals = { cases: 0, coreErrors: 0 }

/** Per-case time bound: a parser taking longer than this on a small input is treated as a hang. */
export const CASE_TIME_BOUND_MS = 1_000

/** Runs `fn` on `runs` generated inputs: it returns, or throws a CoreError, in time. */
export async function fuzz<T>(arb: fc.Arbitrary<T>, fn: (input: T) => unknown, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      const t0 = performance.now()
      try {
        await fn(input)
      } catch (e) {
        if (!(e instanceof CoreError)) throw e
        fuzzTotals.coreErrors++
      }
      fuzzTotals.cases++
      const ms = performance.now() - t0
      expect(ms).toBeLessThan(CASE_TIME_BOUND_MS)
    }),
    { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  )
}
