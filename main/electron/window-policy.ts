/**
 * The Electron security decisions, as pure functions so they are unit-tested without an Electron binary
 * (Electron security checklist items 2–4, 7, 13–15, 17).
 */

/** The webPreferences of every Lifeline window. Pinned by a unit test. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const
}

/** Hosts `openExternal` may open (https only). Advisory and documentation sites; a policy may extend it. */
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
export function isAllowedExternalUrl(raw: string, allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS): boolean {
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

/** Where the app's own page is served from, which decides who may call IPC. */
export type AppOrigin = { readonly kind: 'file'; readonly indexPath: string } | { readonly kind: 'dev'; readonly origin: string }

/** Facts about an IPC sender frame. */
export interface SenderFacts {
  /** `senderFrame.parent === null`. */
  readonly isMainFrame: boolean
  readonly url: string
  readonly webContentsId: number
}

/**
 * Whether an IPC message comes from our own window's main frame showing our own page (VS Code `ipcMain.ts` +
 * GitHub Desktop `trusted-ipc-sender.ts`).
 */
export function isTrustedSender(sender: SenderFacts, app: AppOrigin, knownWebContents: ReadonlySet<number>): boolean {
  if (!sender.isMainFrame || !knownWebContents.has(sender.webContentsId)) return false
  let url: URL
  try {
    url = new URL(sender.url)
  } catch {
    return false
  }
  if (app.kind === 'dev') return url.origin === new URL(app.origin).origin
  if (url.protocol !== 'file:') return false
  return decodeURIComponent(url.pathname) === app.indexPath
}

/** Navigation inside a window is never allowed: the app is one page; links go through `openExternal`. */
export function shouldAllowNavigation(_targetUrl: string): boolean {
  return false
}

/** Permission requests (camera, notifications from the page, clipboard-read, …) are all denied. */
export function shouldGrantPermission(_permission: string): boolean {
  return false
}
