import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compareDebianVersions,
  isValidDebianVersion,
  parseDebianVersion,
} from '../../../../main/core/apt/version'
import { isCoreError } from '../../../../main/core/errors'

const tsv = resolve(import.meta.dirname, '../../../fixtures/versions/dpkg-expectations.tsv')
const rows = readFileSync(tsv, 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string, string])

function dpkgAvailable(): boolean {
  try {
    execFileSync('dpkg', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return isCoreError(e) ? e.code : `not a CoreError: ${String(e)}`
  }
  return undefined
}

describe('compareDebianVersions', () => {
  describe('when given thousands of real version pairs with dpkg expectations', () => {
    it('has a meaningful expectations file', () => {
      expect(rows.length).toBeGreaterThan(4000)
      expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['-1', '0', '1', 'error']))
    })

    it('agrees with dpkg --compare-versions on every pair', () => {
      const wrong: string[] = []
      for (const [a, b, want] of rows) {
        if (want === 'error') {
          if (codeOf(() => compareDebianVersions(a, b)) !== 'APT_BAD_VERSION')
            wrong.push(`${a} ${b} should throw`)
          continue
        }
        const got = compareDebianVersions(a, b)
        if (String(got) !== want) wrong.push(`${a} vs ${b}: got ${got}, dpkg ${want}`)
        if (String(compareDebianVersions(b, a)) !== String(-Number(want) || 0))
          wrong.push(`${b} vs ${a} (swapped)`)
      }
      expect(wrong).toEqual([])
    })
  })

  describe.runIf(dpkgAvailable())('when dpkg is installed', () => {
    it('re-derives a sample of the expectations with dpkg itself', () => {
      const sample = rows.filter((_, i) => i % 97 === 0).slice(0, 40)
      const dir = mkdtempSync(join(tmpdir(), 'dpkg-sample-'))
      const lines = ['#!/bin/sh']
      for (const [a, b] of sample) {
        lines.push(
          `dpkg --compare-versions '${a}' lt '${b}' 2>/dev/null; r=$?; if [ $r = 0 ]; then echo -1; elif [ $r != 1 ]; then echo error; elif dpkg --compare-versions '${a}' eq '${b}' 2>/dev/null; then echo 0; else echo 1; fi`,
        )
      }
      writeFileSync(join(dir, 's.sh'), lines.join('\n') + '\n')
      const out = execFileSync('sh', [join(dir, 's.sh')], { encoding: 'utf8' })
        .trim()
        .split('\n')
      expect(out).toEqual(sample.map((r) => r[2]))
    })
  })

  describe('when versions differ only in special characters', () => {
    it.each([
      ['1.0~rc1', '1.0', -1],
      ['1.0~~', '1.0~', -1],
      ['1.0', '1.0+b1', -1],
      ['1.0a', '1.0+', -1],
      ['1.0', '1.0-0', 0],
      ['0:1.0', '1.0', 0],
      ['1:0.1', '9.9', 1],
      ['1.001', '1.1', 0],
      ['1.18446744073709551616', '1.18446744073709551615', 1],
      ['00000000000000000000001:1', '1:1', 0],
      ['  1.0-1 ', '1.0-1', 0],
    ] as const)('orders %s vs %s as %i', (a, b, want) => {
      expect(compareDebianVersions(a, b)).toBe(want)
      expect(compareDebianVersions(b, a)).toBe(want === 0 ? 0 : -want)
    })
  })

  describe('when a version cannot be compared by dpkg', () => {
    it.each([[''], ['   '], [':1.0'], ['x:1.0'], ['1:'], ['3000000000:1']])(
      'throws APT_BAD_VERSION for "%s"',
      (v) => {
        expect(codeOf(() => compareDebianVersions(v, '1.0'))).toBe('APT_BAD_VERSION')
        expect(codeOf(() => compareDebianVersions('1.0', v))).toBe('APT_BAD_VERSION')
      },
    )
  })

  describe('when given arbitrary version-like strings', () => {
    const part = fc.stringMatching(/^[0-9][0-9a-z.+~]{0,8}$/)
    const version = fc
      .tuple(fc.option(fc.nat(5)), part, fc.option(fc.stringMatching(/^[0-9a-z+.~]{1,6}$/)))
      .map(([e, u, r]) => `${e === null ? '' : `${e}:`}${u}${r === null ? '' : `-${r}`}`)

    it('is antisymmetric and reflexive', () => {
      fc.assert(
        fc.property(version, version, (a, b) => {
          expect(compareDebianVersions(a, a)).toBe(0)
          expect(compareDebianVersions(a, b)).toBe(-compareDebianVersions(b, a) || 0)
        }),
        { numRuns: 2000 },
      )
    })

    it('is transitive', () => {
      fc.assert(
        fc.property(version, version, version, (a, b, c) => {
          const [x, y, z] = [a, b, c].sort(compareDebianVersions)
          expect(compareDebianVersions(x ?? '', z ?? '')).toBeLessThanOrEqual(0)
          expect(compareDebianVersions(x ?? '', y ?? '')).toBeLessThanOrEqual(0)
        }),
        { numRuns: 1000 },
      )
    })

    it('agrees with parseDebianVersion on what is valid', () => {
      fc.assert(
        fc.property(version, (v) => {
          expect(isValidDebianVersion(v)).toBe(codeOf(() => parseDebianVersion(v)) === undefined)
        }),
      )
    })
  })
})

describe('parseDebianVersion', () => {
  describe('when the version is valid', () => {
    it('splits epoch, upstream and revision at the first colon and the last hyphen', () => {
      expect(parseDebianVersion('1:2.30-0ubuntu2-1')).toEqual({
        epoch: 1,
        upstream: '2.30-0ubuntu2',
        revision: '1',
      })
      expect(parseDebianVersion('1.9.13p3-1+deb12u2')).toEqual({
        epoch: 0,
        upstream: '1.9.13p3',
        revision: '1+deb12u2',
      })
      expect(parseDebianVersion('2.9.14+dfsg')).toEqual({ epoch: 0, upstream: '2.9.14+dfsg', revision: '' })
    })

    it('accepts every real version in the expectations file that dpkg does not warn about', () => {
      const bad = [...new Set(rows.flatMap((r) => [r[0], r[1]]))].filter(
        (v) =>
          /^(\d+:)?\d[A-Za-z0-9.+~:-]*$/.test(v) &&
          !/-$/.test(v) &&
          !/-[^-]*[:]/.test(v) &&
          !/^\d{10,}:/.test(v),
      )
      const refused = bad.filter((v) => !isValidDebianVersion(v))
      expect(refused).toEqual([])
      expect(bad.length).toBeGreaterThan(1000)
    })
  })

  describe('when the version is invalid', () => {
    it.each([
      [''],
      ['a1.0'],
      ['1.0-'],
      [':1'],
      ['1:'],
      ['e:1.0'],
      ['1.0 beta'],
      ['1.0-1_2'],
      ['1.0-a:b'],
      ['1.0$'],
      ['3000000000:1.0'],
      ['1'.repeat(300)],
    ])('throws APT_BAD_VERSION for %j', (v) => {
      expect(codeOf(() => parseDebianVersion(v))).toBe('APT_BAD_VERSION')
      expect(isValidDebianVersion(v)).toBe(false)
    })
  })
})
