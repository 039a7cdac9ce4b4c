/**
 * The `news` channel: unsigned RSS 2.0 / Atom (RFC 4287) announcement feeds (Discourse, Mastodon). Titles, links
 * and dates only, shown as news and NEVER used as evidence (DESIGN.md, trust model point 4): nothing here ever
 * becomes an Advisory.
 *
 * A small tolerant scanner, not an XML parser: no DTDs or entities beyond the five predefined and numeric ones are
 * expanded, so entity-expansion attacks have nothing to expand.
 */
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type { AdvisoryErrorCode, NewsItem } from './model'
import { decodeText } from './parse-util'

const MAX_ITEMS = 500

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&'
    if (e === 'lt') return '<'
    if (e === 'gt') return '>'
    if (e === 'quot') return '"'
    if (e === 'apos') return "'"
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
  })
}

function textOf(inner: string | undefined): string {
  if (inner === undefined) return ''
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(inner)
  const raw = cdata ? (cdata[1] ?? '') : decodeEntities(inner.replace(/<[^>]*>/g, ''))
  return raw.replace(/\s+/g, ' ').trim()
}

function element(block: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'i').exec(block)?.[1]
}

function httpUrl(s: string | undefined): string | undefined {
  if (!s) return undefined
  try {
    const u = new URL(s.trim())
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined
  } catch {
    return undefined
  }
}

function dateOf(s: string | undefined): number | undefined {
  if (!s) return undefined
  const t = Date.parse(textOf(s))
  return Number.isNaN(t) ? undefined : t
}

/**
 * Parses an RSS 2.0 or Atom feed into news items (at most 500). Links other than http(s) are dropped. Throws
 * ADV_TOO_LARGE over Limits.advisories.newsBytes and ADV_NEWS_SYNTAX when the text is neither RSS nor Atom.
 */
export function parseNewsFeed(input: string | Uint8Array, channelId: string): NewsItem[] {
  const text = decodeText(input, Limits.advisories.newsBytes, 'news feed')
  const isRss = /<rss[\s>]/i.test(text) || /<rdf:RDF[\s>]/i.test(text)
  const isAtom = /<feed[\s>]/i.test(text)
  if (!isRss && !isAtom) {
    throw new CoreError<AdvisoryErrorCode>('ADV_NEWS_SYNTAX', `${channelId}: not an RSS or Atom feed`, { channel: channelId })
  }
  const tag = isRss ? 'item' : 'entry'
  const items: NewsItem[] = []
  for (const m of text.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi'))) {
    if (items.length >= MAX_ITEMS) break
    const block = m[1] ?? ''
    const title = textOf(element(block, 'title'))
    let link: string | undefined
    if (isRss) link = httpUrl(textOf(element(block, 'link')))
    else {
      const links = [...block.matchAll(/<link\b([^>]*)\/?>/gi)].map((l) => l[1] ?? '')
      const alt = links.find((a) => !/rel\s*=/.test(a) || /rel\s*=\s*["']alternate["']/.test(a)) ?? links[0]
      link = httpUrl(decodeEntities(/href\s*=\s*["']([^"']*)["']/.exec(alt ?? '')?.[1] ?? ''))
    }
    const published = isRss
      ? dateOf(element(block, 'pubDate') ?? element(block, 'dc:date'))
      : dateOf(element(block, 'published') ?? element(block, 'updated'))
    items.push({
      channelId,
      title,
      link,
      published,
      mentions: [...new Set(title.match(/\b(?:USN|LSN)-\d+-\d+\b/g) ?? [])],
    })
  }
  return items
}
