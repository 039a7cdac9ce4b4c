/**
 * Which links may leave the app (Electron security checklist item 15; Bitwarden `SafeShell`). Pure, shared by the
 * Electron opener (main/electron/external.ts) and browser mode, which hands the page only a vetted link.
 */

/** Hosts an advisory link may point at (https only). Advisory and documentation sites; a policy may extend it. */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = [
  'ubuntu.com',
  'www.ubuntu.com',
  'discourse.ubuntu.com',
  'launchpad.net',
  'bugs.launchpad.net',
  'www.cve.org',
  'nvd.nist.gov',
  'security-tracker.debian.org',
]

/**
 * Whether a URL may be handed to the desktop's browser: `https:` only, host exactly on the allowlist (parsed with
 * `new URL`, never prefix-matched: `https://ubuntu.com.evil.io` and `https://ubuntu.com@evil.io` are refused), no
 * credentials, default port.
 */
export function isAllowedExternalUrl(
  raw: string,
  allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS,
): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'https:') return false
  if (url.username !== '' || url.password !== '') return false
  if (url.port !== '') return false
  return allowedHosts.includes(url.hostname.toLowerCase())
}

/** The reference link types, best first, for "Read the full advisory" (OSV `references[].type`). */
const PREFERRED_TYPES = ['ADVISORY', 'WEB', 'ARTICLE', 'REPORT']

/** USN ids have a well-known page on ubuntu.com (used when a channel gave no reference). */
const USN_ID = /^USN-\d{1,6}-\d{1,3}$/

/**
 * Picks the link to open for an advisory from main's own data: the best allowed reference, else the ubuntu.com page
 * of a USN id. Undefined when nothing safe exists.
 */
export function advisoryLink(
  id: string,
  references: readonly { readonly type: string; readonly url: string }[],
  allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS,
): string | undefined {
  const allowed = references.filter((r) => isAllowedExternalUrl(r.url, allowedHosts))
  const rank = (t: string): number => {
    const i = PREFERRED_TYPES.indexOf(t.toUpperCase())
    return i < 0 ? PREFERRED_TYPES.length : i
  }
  const best = [...allowed].sort((a, b) => rank(a.type) - rank(b.type))[0]
  if (best) return best.url
  if (USN_ID.test(id)) {
    const url = `https://ubuntu.com/security/notices/${id}`
    return isAllowedExternalUrl(url, allowedHosts) ? url : undefined
  }
  return undefined
}
