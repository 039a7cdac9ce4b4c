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

/** The link allowlist lives in core so browser mode vets links the same way (main/core/status/external-links.ts). */
export { DEFAULT_EXTERNAL_HOSTS, isAllowedExternalUrl } from '../core/status/external-links'

/** Where the app's own page is served from, which decides who may call IPC. */
export type AppOrigin =
  { readonly kind: 'file'; readonly indexPath: string } | { readonly kind: 'dev'; readonly origin: string }

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
export function isTrustedSender(
  sender: SenderFacts,
  app: AppOrigin,
  knownWebContents: ReadonlySet<number>,
): boolean {
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

/**
 * Permission requests are denied, except writing sanitized text to the clipboard (the copy buttons). Reading the
 * clipboard is never granted to the page: main reads it only on the user's explicit "Check clipboard".
 */
export function shouldGrantPermission(permission: string): boolean {
  return permission === 'clipboard-sanitized-write'
}
