/**
 * The `news` channel: unsigned RSS 2.0 / Atom (RFC 4287) announcement feeds (Discourse, Mastodon). Titles, links
 * and dates only, shown as news and NEVER used as evidence (docs/trust.md, "4. Advisories and their trust levels"): nothing here ever
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
  // `<[^<>]*>`, not `<[^>]*>`: from every `<` of a `<<<<…` run the latter scans to the end (quadratic).
  const raw = cdata ? (cdata[1] ?? '') : decodeEntities(inner.replace(/<[^<>]*>/g, ''))
  return raw.replace(/\s+/g, ' ').trim()
}

/** ASCII-only lower case: same length as the input, so indexes found in it are valid in the original. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

/**
 * The next `<name …>inner</name>` at or after `from` (tag names case-insensitive, `lower` = asciiLower(text)).
 *
 * An index scan instead of a lazy regex: `<item>` repeated without a closing tag made `<item…>([\s\S]*?)</item>`
 * scan to the end from every opening (quadratic; minutes on a 4 MB feed). Here a missing close ends the search.
 */
function nextElement(
  text: string,
  lower: string,
  name: string,
  from: number,
): { inner: string; end: number } | undefined {
  const open = `<${asciiLower(name)}`
  const close = `</${asciiLower(name)}>`
  for (let i = lower.indexOf(open, from); i !== -1; i = lower.indexOf(open, i + 1)) {
    const next = lower.charAt(i + open.length)
    if (next !== '>' && !/^\s$/.test(next)) continue // `<itemize>` is not `<item>`
    const gt = lower.indexOf('>', i + open.length)
    if (gt === -1) return undefined
    const end = lower.indexOf(close, gt + 1)
    if (end === -1) return undefined
    return { inner: text.slice(gt + 1, end), end: end + close.length }
  }
  return undefined
}

function element(block: string, name: string, lower: string = asciiLower(block)): string | undefined {
  return nextElement(block, lower, name, 0)?.inner
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
    throw new CoreError<AdvisoryErrorCode>('ADV_NEWS_SYNTAX', `${channelId}: not an RSS or Atom feed`, {
      channel: channelId,
    })
  }
  const tag = isRss ? 'item' : 'entry'
  const items: NewsItem[] = []
  const lower = asciiLower(text)
  for (let at = 0; items.length < MAX_ITEMS;) {
    const found = nextElement(text, lower, tag, at)
    if (!found) break
    at = found.end
    const block = found.inner
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
