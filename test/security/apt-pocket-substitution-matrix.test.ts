/**
 * Attack (pocket substitution, every pair): a network attacker answers a request for one pocket with the genuine,
 * signed Release of another. Each real Ubuntu and Debian Release here is offered under every other pocket's name,
 * including Debian's symbolic names (`oldstable-security`, `stable-security`, `stable`) and the bare codenames;
 * only the Release's own Suite, or its Codename with a Suite of the same pocket, may be accepted
 * (main/core/apt/release.ts `releaseMatchesSuite`). Everything else is APT_WRONG_SUITE before any date is looked at,
 * so no other pocket's Date can move a high-water mark.
 *
 * This review found no pair that got through; the matrix keeps it that way.
 */
import { describe, expect, it } from 'vitest'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

const NAMES = [
  'noble',
  'noble-security',
  'noble-updates',
  'noble-backports',
  'noble-proposed',
  'jammy',
  'jammy-security',
  'jammy-updates',
  'jammy-backports',
  'bookworm',
  'bookworm-security',
  'bookworm-updates',
  'bookworm-backports',
  'stable',
  'oldstable',
  'stable-security',
  'oldstable-security',
  'trixie-security',
  'security',
  'NOBLE-SECURITY',
  'noble-security ',
  '',
] as const

const FIXTURES: readonly (readonly [string, readonly string[]])[] = [
  ['ubuntu/apt/noble_InRelease', ['noble']],
  ['ubuntu/apt/noble-security_InRelease', ['noble-security']],
  ['ubuntu/apt/jammy-security_InRelease.2022-10-09', ['jammy-security']],
  ['ubuntu/apt/jammy-backports_InRelease.2022-10-09', ['jammy-backports']],
  // Suite: oldstable-security, Codename: bookworm-security: both names of the same pocket.
  ['debian/bookworm-security_InRelease', ['bookworm-security', 'oldstable-security']],
]

describe('attack: every real Release served under every other pocket name', () => {
  for (const [file, own] of FIXTURES) {
    const info = parseRelease(releaseText(file))
    const others = NAMES.filter((n) => !own.includes(n))
    it(`${file} is refused as each of ${others.length} other names with APT_WRONG_SUITE`, () => {
      const codes = others.map((n) =>
        codeOfSync(() => checkRelease(info, { expectedSuite: n, now: info.date })),
      )
      expect(codes).toEqual(others.map(() => 'APT_WRONG_SUITE'))
    })
    it(`${file} is accepted under its own name(s): ${own.join(', ')}`, () => {
      for (const n of own) expect(checkRelease(info, { expectedSuite: n, now: info.date }).ageMs).toBe(0)
    })
  }
})
