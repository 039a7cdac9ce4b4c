import { app, clipboard, dialog, net, powerMonitor, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NavigateDto } from '../preload/contract/dto'
import { trayMenu, trayPresentation } from './core/status/tray-model'
import { openExternal } from './electron/external'
import { registerHandlers, sendToRenderer } from './electron/ipc'
import { showNotification } from './electron/notifications'
import { createTray } from './electron/tray'
import { installWebSecurity } from './electron/web-security'
import { createStatusWindow } from './electron/window'
import type { AppOrigin } from './electron/window-policy'
import { createAppBackend } from './node/app'
import type { Backend } from './node/backend'
import {
  applyAutostartPolicy,
  AUTOSTART_CHOICE_FILE,
  createXdgAutostart,
  recordingUserChoice,
} from './node/autostart'
import { resourcesDir } from './node/keys'

// Composition root: wires the backend to Electron. No logic lives here (decisions are in main/core).
const here = fileURLToPath(new URL('.', import.meta.url))
// Before ready (Electron: "can only be called before app is ready"); top-level code of the entry module runs
// before `ready` even in ESM because the bundle has no top-level await.
app.enableSandbox()

const origin: AppOrigin =
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? { kind: 'dev', origin: process.env.ELECTRON_RENDERER_URL }
    : { kind: 'file', indexPath: join(here, '..', 'renderer', 'index.html') }
const knownWebContents = new Set<number>()
// Icons follow LIFELINE_RESOURCES like keys and config do, so a packaged or test layout finds its own.
const iconsDir = join(resourcesDir(), 'icons')
/** How often to look at `net.isOnline()` for a network that came back (Electron has no online event in main). */
const ONLINE_POLL_MS = 30_000
let win: BrowserWindow | undefined
let pendingNavigation: NavigateDto | undefined

function showWindow(to?: NavigateDto): void {
  if (win && !win.isDestroyed()) {
    win.show()
    win.focus()
    if (to) sendToRenderer(win, 'onNavigate', to)
    return
  }
  pendingNavigation = to
  win = createStatusWindow(join(here, '..', 'preload', 'index.cjs'), origin)
  const id = win.webContents.id
  knownWebContents.add(id)
  win.webContents.once('did-finish-load', () => {
    if (win && pendingNavigation) sendToRenderer(win, 'onNavigate', pendingNavigation)
    pendingNavigation = undefined
  })
  win.on('closed', () => knownWebContents.delete(id))
}

function openAdvisoryWindow(advisoryId: string | undefined): void {
  showWindow({
    screen: advisoryId ? 'advisories' : 'overview',
    advisoryId: advisoryId ?? null,
    checkClipboard: false,
  })
}

/** Builds the backend with Electron's ports; a configuration it cannot start with is shown, then the app quits. */
async function startBackend(): Promise<Backend | undefined> {
  const dataDir = app.getPath('userData')
  const choiceFile = join(dataDir, AUTOSTART_CHOICE_FILE)
  // A change made in Settings is the user's choice; the policy default never overrides it (docs/ui.md, "Start at login").
  const autostart = recordingUserChoice(
    createXdgAutostart({
      exec: [process.execPath, ...(app.isPackaged ? [] : [app.getAppPath()]), '--hidden'],
    }),
    choiceFile,
  )
  const created = await createAppBackend({
    dataDir,
    shell: 'electron',
    ports: {
      // Read only when the user asks ("Check clipboard"), never in the background (docs/ui.md, "The clipboard").
      readClipboard: () => clipboard.readText(),
      openExternal: (url) => openExternal(url),
      autostart,
      notify: (n) => showNotification(n, iconsDir, openAdvisoryWindow),
    },
    // Start at login: off unless a policy turns it on (`autostart`), removed when a policy forbids it.
    onConfig: (config) =>
      applyAutostartPolicy(autostart, {
        policyDefault: config.autostart,
        allowed: config.allowAutostart !== false,
        choiceFile,
      }).then(
        () => undefined,
        (e: unknown) => console.warn(`autostart: ${e instanceof Error ? e.message : String(e)}`),
      ),
  })
  if (created.ok) return created.value
  dialog.showErrorBox('Lifeline cannot start', created.message)
  app.quit()
  return undefined
}

/** The tray icon and menu, drawn from the backend's state; `refresh` redraws them. */
function startTray(backend: Backend): { readonly refresh: () => void; readonly destroy: () => void } {
  const presentation = () => trayPresentation(backend.status.snapshot().state, Date.now())
  // "Checking…" follows the state the menu is drawn from: `status.busy` is still true while the final state is
  // published, which left the menu saying "Checking…" after a check until the next refresh.
  const menuFor = () =>
    trayMenu(presentation(), {
      ...backend.trayContext(),
      now: Date.now(),
      checking: backend.status.snapshot().state.kind === 'checking',
    })
  const tray = createTray(
    iconsDir,
    {
      open: () => showWindow(),
      'check-now': () => void backend.status.checkNow(),
      'check-clipboard': () => showWindow({ screen: 'inspect', advisoryId: null, checkClipboard: true }),
      'pause-1h': () => void backend.pause('1h'),
      'pause-tomorrow': () => void backend.pause('tomorrow'),
      'resume-notifications': () => void backend.pause('off'),
      quit: () => app.quit(),
    },
    presentation(),
    menuFor(),
  )
  return { refresh: () => tray.update(presentation(), menuFor()), destroy: () => tray.destroy() }
}

/** Sends the backend's events to the window and redraws the tray with them. */
function forwardEvents(backend: Backend, refreshTray: () => void): void {
  backend.on('onStatusChanged', (s) => {
    refreshTray()
    if (win) sendToRenderer(win, 'onStatusChanged', s)
  })
  backend.on('onSettingsChanged', (s) => {
    refreshTray()
    if (win) sendToRenderer(win, 'onSettingsChanged', s)
  })
  backend.on('onNavigate', (to) => showWindow(to))
}

/**
 * Re-checks at once after sleep or when the network comes back (docs/ui.md, "Background checks"); the backend
 * ignores bursts. Returns the stop function.
 */
function watchWakeAndNetwork(backend: Backend, refreshTray: () => void): () => void {
  powerMonitor.on('resume', () => backend.kick('resume'))
  let online = net.isOnline()
  const onlineTimer = setInterval(() => {
    const now = net.isOnline()
    if (now && !online) backend.kick('online')
    online = now
    refreshTray() // keeps the grey icon's "last verified N ago" true
  }, ONLINE_POLL_MS)
  return () => clearInterval(onlineTimer)
}

/** Starts the primary instance: backend, IPC, tray, then the window. */
async function startPrimary(): Promise<void> {
  await app.whenReady()
  installWebSecurity()
  const backend = await startBackend()
  if (!backend) return
  registerHandlers(backend.handlers, origin, knownWebContents)
  // Only now can a window talk to main: a second launch before this point would open a page with no handlers.
  app.on('second-instance', () => showWindow())
  const tray = startTray(backend)
  forwardEvents(backend, tray.refresh)
  const stopWatching = watchWakeAndNetwork(backend, tray.refresh)
  app.on('before-quit', () => {
    stopWatching()
    backend.stop()
    tray.destroy()
  })
  if (!process.argv.includes('--hidden')) showWindow()
  await backend.start()
}

app.on('window-all-closed', () => {
  // A tray app keeps running with no window open (no listener would make Electron quit).
})
// One instance per user: a second launch only raises the first one's window. Without the lock nothing else may
// run (no backend, no tray, no window), or two instances would check and write the same data folder at once.
if (app.requestSingleInstanceLock()) {
  // An unexpected failure must not leave an invisible process with no tray: say why and quit.
  startPrimary().catch((e: unknown) => {
    dialog.showErrorBox('Lifeline cannot start', e instanceof Error ? e.message : String(e))
    app.quit()
  })
} else app.quit()
