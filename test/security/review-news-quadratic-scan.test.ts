/**
 * Review finding: the unsigned news channel parser scanned a hostile feed in quadratic time.
 *
 * A news feed (RSS/Atom, TLS only, never evidence) may be 4 MB (Limits.advisories.newsBytes). `<item>` repeated
 * without a closing tag, or a title made of `<<<<…`, made the lazy `<item…>([\s\S]*?)</item>` and the tag-stripping
 * `<[^>]*>` scan to the end from every opening: 400 KB of `<` took 130 s on the poller's thread before the fix.
 * These cases took 1.5–10 s at this size before; now they take milliseconds and valid feeds read the same.
 */
import { describe, expect, it } from 'vitest'
import { parseNewsFeed } from '../../main/core/advisories/news'

const N = 100_000
const BOUND_MS = 300

describe('review: quadratic scanning in parseNewsFeed', () => {
  describe.each([
    ['unclosed <item> openings', '<rss>' + '<item>'.repeat(N / 6)],
    ['a title made of "<"', '<rss><item><title>' + '<'.repeat(N) + '</title></item></rss>'],
    [
      'unclosed <title> openings in one item',
      '<rss><item>' + '<title>'.repeat((2 * N) / 7) + '</item></rss>',
    ],
  ])('when the feed has %s', (_name, text) => {
    it(`returns within ${BOUND_MS} ms`, () => {
      const t0 = performance.now()
      const items = parseNewsFeed(text, 'news')
      expect(performance.now() - t0).toBeLessThan(BOUND_MS)
      expect(items.length).toBeLessThanOrEqual(1)
    })
  })

  describe('when a valid feed mixes tag case and attributes', () => {
    it('reads every item once, in order', () => {
      const rss =
        '<rss version="2.0"><channel><ITEM><title>USN-1-1: a &amp; b</title><link>https://x.example/1</link>' +
        '<pubDate>Thu, 12 Sep 2024 10:00:00 GMT</pubDate></ITEM><itemize/><item data-x="1"><title><b>USN-2-1</b>' +
        '</title></item></channel></rss>'
      const items = parseNewsFeed(rss, 'news')
      expect(items.map((i) => [i.title, i.link, i.published])).toEqual([
        ['USN-1-1: a & b', 'https://x.example/1', Date.parse('2024-09-12T10:00:00Z')],
        ['USN-2-1', undefined, undefined],
      ])
    })
  })
})
