import { describe, expect, it } from 'vitest'
import { isFeedNotVerified } from '../../../main/cli/commands/feed'
import { errorCodeEntries } from '../../../main/core/error-codes'

/** The rule the exhaustive map replaced: a prefix match on the code. */
const PREFIX_RULE = /^(ADV_FEED|PGP_|NET_|ADV_TOO_LARGE)/

describe('isFeedNotVerified', () => {
  it.each(errorCodeEntries().map((e) => [e.code, PREFIX_RULE.test(e.code)] as const))(
    'decides %s as the prefix rule did (%s)',
    (code, notVerified) => {
      expect(isFeedNotVerified(code)).toBe(notVerified)
    },
  )

  it('counts a signature, freshness or host failure as not verified, and a bad record as input', () => {
    expect(isFeedNotVerified('PGP_BAD_SIGNATURE')).toBe(true)
    expect(isFeedNotVerified('ADV_FEED_ROLLBACK')).toBe(true)
    expect(isFeedNotVerified('NET_TIMEOUT')).toBe(true)
    expect(isFeedNotVerified('ADV_SCHEMA')).toBe(false)
    expect(isFeedNotVerified('CONFIG_INVALID')).toBe(false)
  })
})
