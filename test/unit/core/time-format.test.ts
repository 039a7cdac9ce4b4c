import { describe, expect, it } from 'vitest'
import {
  describeAge,
  describeDuration,
  isoTime,
  isoTimeOrNull,
  secondsOrNull,
} from '../../../main/core/time-format'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('isoTime', () => {
  it('writes an instant as ISO-8601 UTC with milliseconds', () => {
    expect(isoTime(Date.parse('2026-06-06T12:00:00Z'))).toBe('2026-06-06T12:00:00.000Z')
  })
  it('writes an absent instant as null', () => {
    expect(isoTimeOrNull(undefined)).toBeNull()
    expect(isoTimeOrNull(0)).toBe('1970-01-01T00:00:00.000Z')
  })
})

describe('secondsOrNull', () => {
  it('rounds to whole seconds and keeps absence as null', () => {
    expect(secondsOrNull(1_499)).toBe(1)
    expect(secondsOrNull(undefined)).toBeNull()
  })
})

describe('describeDuration', () => {
  it('counts seconds up to two minutes, minutes up to two hours, hours up to two days', () => {
    expect(describeDuration(30_000)).toBe('30 seconds')
    expect(describeDuration(90 * MINUTE)).toBe('90 minutes')
    expect(describeDuration(60 * MINUTE)).toBe('60 minutes')
    expect(describeDuration(5 * HOUR)).toBe('5 hours')
    expect(describeDuration(3 * 24 * HOUR)).toBe('3 days')
  })
  it('says how long, whichever way the difference goes', () => {
    expect(describeDuration(-5 * HOUR)).toBe('5 hours')
  })
})

describe('describeAge', () => {
  it('never says "0 minutes"', () => {
    expect(describeAge(16_000)).toBe('less than a minute')
    expect(describeAge(5 * 60_000)).toBe('5 minutes')
  })
  it('uses hours from the first full hour, and the singular for one', () => {
    expect(describeAge(60 * MINUTE)).toBe('1 hour')
    expect(describeAge(90 * MINUTE)).toBe('2 hours')
    expect(describeAge(MINUTE)).toBe('1 minute')
    expect(describeAge(72 * HOUR)).toBe('3 days')
  })
})
