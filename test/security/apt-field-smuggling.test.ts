/**
 * Attack: field smuggling in a signed Release — a second `Suite:` (or `SHA256:`) line hoping that the checker
 * reads one copy and apt another. Policy 5.1 forbids repeated fields; the Release is refused with APT_PARSE.
 */
import { describe, expect, it } from 'vitest'
import { parseRelease } from '../../main/core/apt/release'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: repeated fields in a Release', () => {
  const genuine = releaseText('ubuntu/apt/noble-security_InRelease')

  describe('when a second Suite line follows the first', () => {
    it('throws APT_PARSE', () => {
      const smuggled = genuine.replace(
        'Suite: noble-security\n',
        'Suite: noble-security\nsuite: noble-updates\n',
      )
      expect(smuggled).not.toBe(genuine)
      expect(codeOfSync(() => parseRelease(smuggled))).toBe('APT_PARSE')
    })
  })

  describe('when a second SHA256 list is appended', () => {
    it('throws APT_PARSE', () => {
      expect(
        codeOfSync(() =>
          parseRelease(`${genuine}\nSHA256:\n ${'d'.repeat(64)} 1 main/binary-amd64/Packages\n`),
        ),
      ).toBe('APT_PARSE')
    })
  })
})
