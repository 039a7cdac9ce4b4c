import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import {
  checkFeedIndex,
  formatFeedDate,
  formatFeedIndex,
  isSafeFeedPath,
  parseFeedDate,
  parseFeedIndex,
  type FeedIndex,
} from '../../../../main/core/advisories/feed-index'
import { DAY, NOW } from './advisory-test-kit'

const INDEX: FeedIndex = {
  format: 'lifeline-feed/1',
  feed: 'acme-helpdesk',
  description: 'ACME helpdesk advisories',
  date: NOW - DAY,
  validUntil: NOW + 6 * DAY,
  serial: 7,
  files: [{ path: 'osv/USN-7000-1.json', size: 15466, sha256: 'ab'.repeat(32) }],
}

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (isCoreError(e)) return e.code
    throw e
  }
  return 'none'
}

describe('parseFeedIndex', () => {
  describe('when given a formatted index', () => {
    it('round-trips every field', () => {
      const text = formatFeedIndex(INDEX)
      expect(text).toContain('Date: Fri, 20 Nov 2026 10:00:00 UTC\n')
      expect(parseFeedIndex(text)).toEqual(INDEX)
    })
  })

  describe('when a gpg-written index uses CRLF and a numeric zone', () => {
    it('parses it', () => {
      const text = formatFeedIndex(INDEX).replace('UTC', '+0000').replace(/\n/g, '\r\n')
      expect(parseFeedIndex(text).date).toBe(INDEX.date)
    })
  })

  describe.each([
    ['a missing Serial', (t: string) => t.replace(/Serial: 7\n/, ''), 'ADV_FEED_SYNTAX'],
    ['a negative Serial', (t: string) => t.replace('Serial: 7', 'Serial: -1'), 'ADV_FEED_SYNTAX'],
    ['another format', (t: string) => t.replace('lifeline-feed/1', 'lifeline-feed/2'), 'ADV_FEED_VERSION'],
    ['a loose Date', (t: string) => t.replace(/Date: .*\n/, 'Date: yesterday\n'), 'ADV_FEED_SYNTAX'],
    ['a path escaping the folder', (t: string) => t.replace('osv/USN', '../USN'), 'ADV_FEED_BAD_PATH'],
    ['a short hash', (t: string) => t.replace('abab', 'ab'), 'ADV_FEED_SYNTAX'],
    ['a duplicated field', (t: string) => `${t}Feed: other\n`, 'ADV_FEED_SYNTAX'],
    ['a second paragraph', (t: string) => `${t}\nSerial: 99\n`, 'ADV_FEED_SYNTAX'],
    [
      'Valid-Until before Date',
      (t: string) => t.replace(/Valid-Until: .*\n/, 'Valid-Until: Thu, 01 Jan 2026 00:00:00 UTC\n'),
      'ADV_FEED_SYNTAX',
    ],
  ])('when the index has %s', (_what, mutate, expected) => {
    it(`throws ${expected}`, () => {
      expect(code(() => parseFeedIndex(mutate(formatFeedIndex(INDEX))))).toBe(expected)
    })
  })
})

describe('checkFeedIndex', () => {
  describe('when fresh, newer and for the configured feed', () => {
    it('passes', () => {
      expect(
        code(() => checkFeedIndex(INDEX, { now: NOW, highWaterSerial: 6, feedName: 'acme-helpdesk' })),
      ).toBe('none')
    })
  })
  describe('when the same index is seen again', () => {
    it('passes (unchanged)', () => {
      expect(
        code(() => checkFeedIndex(INDEX, { now: NOW, highWaterSerial: 7, highWaterDate: INDEX.date })),
      ).toBe('none')
    })
  })
  describe('when Valid-Until has passed', () => {
    it('throws ADV_FEED_EXPIRED', () => {
      expect(code(() => checkFeedIndex(INDEX, { now: INDEX.validUntil }))).toBe('ADV_FEED_EXPIRED')
    })
  })
  describe('when Date is beyond the clock skew', () => {
    it('throws ADV_FEED_DATE_IN_FUTURE', () => {
      expect(code(() => checkFeedIndex(INDEX, { now: INDEX.date - 10 * 60_000 }))).toBe(
        'ADV_FEED_DATE_IN_FUTURE',
      )
    })
  })
  describe('when the serial is lower than the high-water mark', () => {
    it('throws ADV_FEED_ROLLBACK', () => {
      expect(code(() => checkFeedIndex(INDEX, { now: NOW, highWaterSerial: 8 }))).toBe('ADV_FEED_ROLLBACK')
    })
  })
  describe('when the serial is equal but the index differs', () => {
    it('throws ADV_FEED_ROLLBACK', () => {
      expect(
        code(() => checkFeedIndex(INDEX, { now: NOW, highWaterSerial: 7, highWaterDate: INDEX.date + 1000 })),
      ).toBe('ADV_FEED_ROLLBACK')
    })
  })
  describe('when the index is for another feed', () => {
    it('throws ADV_FEED_NAME', () => {
      expect(code(() => checkFeedIndex(INDEX, { now: NOW, feedName: 'other' }))).toBe('ADV_FEED_NAME')
    })
  })
  describe('when the validity window is longer than allowed', () => {
    it('throws ADV_FEED_SYNTAX', () => {
      expect(code(() => checkFeedIndex({ ...INDEX, validUntil: INDEX.date + 400 * DAY }, { now: NOW }))).toBe(
        'ADV_FEED_SYNTAX',
      )
    })
  })
})

describe('feed dates and paths', () => {
  describe('when formatting and parsing a date', () => {
    it('round-trips and refuses impossible dates', () => {
      expect(parseFeedDate(formatFeedDate(NOW), 'Date')).toBe(NOW)
      expect(code(() => parseFeedDate('Mon, 31 Feb 2026 00:00:00 UTC', 'Date'))).toBe('ADV_FEED_SYNTAX')
    })
  })
  describe('when checking paths', () => {
    it.each([
      ['osv/USN-1-1.json', true],
      ['USN-1-1.json', true],
      ['/etc/x.json', false],
      ['osv/../x.json', false],
      ['osv/%2e%2e/x.json', false],
      ['osv\\x.json', false],
      ['osv/x.txt', false],
      ['https://evil.example/x.json', false],
    ])('%s → %s', (p, ok) => expect(isSafeFeedPath(p)).toBe(ok))
  })
})
