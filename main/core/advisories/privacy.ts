/**
 * What each advisory channel tells the host it reads from, in plain words (docs/trust.md, "What the OSV.dev query
 * sends"). Shown beside every channel in Settings and on the Sources screen.
 */
import { assertNever } from '../errors'
import type { ChannelType } from './model'

/** The hosts of a channel's URLs, for the sentence (`this computer's files` for file: URLs). */
function hostsOf(urls: readonly string[]): string {
  const hosts = new Set<string>()
  for (const u of urls) {
    try {
      const url = new URL(u)
      hosts.add(url.protocol === 'file:' ? 'this computer’s own files' : url.host)
    } catch {
      // A malformed URL never passes the config schema; nothing to name.
    }
  }
  return hosts.size > 0 ? [...hosts].join(', ') : 'its host'
}

/**
 * The privacy note of a channel. Only `osv-api` sends anything about this computer (installed source package
 * names and versions, and the release); every other channel only downloads public files, and its host sees no
 * more than any download shows (the address and the time).
 */
export function channelPrivacyNote(type: ChannelType, urls: readonly string[] = []): string {
  const hosts = hostsOf(urls)
  switch (type) {
    case 'osv-api':
      return (
        `Sends the names and versions of this computer's installed source packages, and its Ubuntu release, to ` +
        `${hosts} (OSV.dev, run by Google), to ask which advisories apply. Nothing else about this computer is ` +
        `sent. Turn this source off if that list must stay private.`
      )
    case 'github-osv':
      return (
        `Downloads Canonical's public advisory files from ${hosts}. Which files it asks for follows from what ` +
        `OSV.dev and the archive found for this computer, so that host can tell which advisories concern it.`
      )
    case 'osv':
    case 'usn-api':
    case 'usn-db':
    case 'signed-feed':
    case 'mbox':
    case 'news':
      return `Downloads public advisory files from ${hosts}; sends nothing about this computer.`
    default:
      return assertNever(type, 'channel type')
  }
}
