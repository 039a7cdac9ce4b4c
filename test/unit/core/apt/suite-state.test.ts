import { describe, expect, it } from 'vitest'
import { stateForCode } from '../../../../main/core/apt/suite-state'
import { errorCodeEntries } from '../../../../main/core/error-codes'
import type { MirrorSuiteState } from '../../../../main/core/model'

/** The rule the map replaced (codes named one by one, then by prefix): every code must still map as it did. */
function prefixRule(code: string): MirrorSuiteState {
  const named: Readonly<Record<string, MirrorSuiteState>> = {
    APT_FROZEN: 'frozen',
    APT_DATE_IN_FUTURE: 'frozen',
    APT_STALE: 'stale',
    APT_ROLLBACK: 'rolled-back',
    APT_WRONG_SUITE: 'wrong-suite',
    APT_HASH_MISMATCH: 'hash-mismatch',
    APT_SIZE_MISMATCH: 'hash-mismatch',
    APT_NOT_IN_RELEASE: 'hash-mismatch',
    APT_CORRUPT_COMPRESSION: 'hash-mismatch',
    NET_TOO_SLOW: 'too-slow',
    NET_TOO_LARGE: 'too-large',
    APT_TOO_LARGE: 'too-large',
    APT_STATE_CAP: 'too-large',
  }
  const state = named[code]
  if (state !== undefined) return state
  if (code.startsWith('PGP_') || code.startsWith('APT_')) return 'bad-signature'
  return 'unreachable'
}

describe('stateForCode', () => {
  it.each([
    ['APT_FROZEN', 'frozen'],
    ['APT_DATE_IN_FUTURE', 'frozen'],
    ['APT_STALE', 'stale'],
    ['APT_ROLLBACK', 'rolled-back'],
    ['APT_WRONG_SUITE', 'wrong-suite'],
    ['APT_HASH_MISMATCH', 'hash-mismatch'],
    ['APT_SIZE_MISMATCH', 'hash-mismatch'],
    ['PGP_KEY_EXPIRED', 'bad-signature'],
    ['NET_TOO_SLOW', 'too-slow'],
    ['NET_TOO_LARGE', 'too-large'],
    ['NET_TIMEOUT', 'unreachable'],
    ['NET_REDIRECT_DOWNGRADE', 'unreachable'],
  ])('maps %s to %s', (code, state) => {
    expect(stateForCode(code)).toBe(state)
  })

  describe('when the code is any code of the joined union', () => {
    it.each(errorCodeEntries().map((e) => [e.code, prefixRule(e.code)] as const))(
      'maps %s as the prefix rule did (%s)',
      (code, state) => {
        expect(stateForCode(code)).toBe(state)
      },
    )
  })

  describe('when the string is no code at all', () => {
    it('reports the mirror as unreachable', () => {
      expect(stateForCode('NOT_A_CODE')).toBe('unreachable')
      expect(stateForCode('APT_NOT_A_CODE')).toBe('unreachable')
    })
  })
})
