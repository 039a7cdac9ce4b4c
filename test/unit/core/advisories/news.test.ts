import { describe, expect, it } from 'vitest'
import { parseNewsFeed } from '../../../../main/core/advisories/news'

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Ubuntu Discourse: Security</title>
<item><title>USN-7000-1: Expat vulnerabilities &amp; fixes</title><link>https://discourse.ubuntu.com/t/usn-7000-1/1</link>
<pubDate>Thu, 12 Sep 2024 10:01:43 +0000</pubDate></item>
<item><title><![CDATA[Emergency fix <b>now</b>]]></title><link>javascript:alert(1)</link></item>
</channel></rss>`

const ATOM = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>toot</title>
<entry><title>LSN-0100-1 livepatch</title><link rel="alternate" href="https://ubuntu.social/@security/1"/>
<updated>2024-09-12T10:01:43Z</updated></entry></feed>`

describe('parseNewsFeed', () => {
  describe('when given RSS 2.0', () => {
    it('reads titles, http(s) links and dates, and drops other link schemes', () => {
      expect(parseNewsFeed(RSS, 'discourse')).toEqual([
        {
          channelId: 'discourse',
          title: 'USN-7000-1: Expat vulnerabilities & fixes',
          link: 'https://discourse.ubuntu.com/t/usn-7000-1/1',
          published: Date.UTC(2024, 8, 12, 10, 1, 43),
          mentions: ['USN-7000-1'],
        },
        {
          channelId: 'discourse',
          title: 'Emergency fix <b>now</b>',
          link: undefined,
          published: undefined,
          mentions: [],
        },
      ])
    })
  })

  describe('when given Atom', () => {
    it('reads the alternate link and updated date', () => {
      expect(parseNewsFeed(ATOM, 'mastodon')).toEqual([
        {
          channelId: 'mastodon',
          title: 'LSN-0100-1 livepatch',
          link: 'https://ubuntu.social/@security/1',
          published: Date.UTC(2024, 8, 12, 10, 1, 43),
          mentions: ['LSN-0100-1'],
        },
      ])
    })
  })

  describe('when the document is neither', () => {
    it('throws ADV_NEWS_SYNTAX', () => {
      expect(() => parseNewsFeed('<html></html>', 'x')).toThrow(
        expect.objectContaining({ code: 'ADV_NEWS_SYNTAX' }),
      )
    })
  })
})
