/**
 * The official Ubuntu and Canonical domains: the ONE list the instruction checker compares hosts against.
 *
 * A host is official when it equals one of these or is a subdomain of one (DNS delegation: only the owner of
 * `ubuntu.com` can create `security.ubuntu.com`). Keep this list short and owned by Canonical; mirrors run by others
 * are not official, but apt still checks their signatures, so they are judged by the `mirror-change` rule instead.
 */
export const OFFICIAL_DOMAINS: readonly string[] = [
  'ubuntu.com', // archive., security., ports., keyserver., esm., usn., changelogs., cloud-images., releases.
  'canonical.com',
  'launchpad.net',
  'launchpadcontent.net', // ppa.launchpadcontent.net serves PPAs
  'launchpadlibrarian.net',
  'snapcraft.io', // api.snapcraft.io, the snap store
  'snapcraftcontent.com',
  'ubuntu.net',
]

/**
 * Community sites whose names contain a brand word but that are long-standing and not impersonations.
 *
 * They are not official (nothing from them is `verified`), they are only exempt from the `lookalike-domain` rule.
 */
export const KNOWN_COMMUNITY_DOMAINS: readonly string[] = [
  'askubuntu.com',
  'ubuntuforums.org',
  'omgubuntu.co.uk',
  'kubuntu.org',
  'xubuntu.org',
  'lubuntu.me',
  'ubuntu-mate.org',
  'ubuntubudgie.org',
  'ubuntustudio.org',
  'ubuntu-fr.org',
  'ubuntuusers.de',
  'ubuntu.fr',
]

/** Words that a look-alike domain imitates (the second-level labels of the official domains). */
export const BRAND_WORDS: readonly string[] = ['ubuntu', 'canonical', 'launchpad', 'snapcraft']

/** True when `host` (lower case, no trailing dot) is an official domain or one of its subdomains. */
export function isOfficialHost(host: string): boolean {
  return OFFICIAL_DOMAINS.some((d) => host === d || host.endsWith('.' + d))
}

/** True when `host` is a known community site or one of its subdomains. */
export function isCommunityHost(host: string): boolean {
  return KNOWN_COMMUNITY_DOMAINS.some((d) => host === d || host.endsWith('.' + d))
}
