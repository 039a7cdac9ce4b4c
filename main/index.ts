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
import { createXdgAutostart } from './node/autostart'
import { appRoot } from './node/paths'

// Composition root: wires the backend to Electron. No logic lives here (decisions are in main/core).
const here = fileURLToPath(new URL('.', import.meta.url))
app.enableSandbox()
if (!app.requestSingleInstanceLock()) app.quit()

const origin: AppOrigin =
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? { kind: 'dev', origin: process.env.ELECTRON_RENDERER_URL }
    : { kind: 'file', indexPath: join(here, '..', 'renderer', 'index.html') }
const knownWebContents = new Set<number>()
const iconsDir = join(appRoot(), 'resources', 'icons')
/** How often to look at `net.isOnline()` for a network that came back (Electron has no online event in main). */
const ONLINE_POLL_MS = 30_000
let win: BrowserWindow | undefined
let pendingNavigation: NavigateDto | undefined

app.on('second-instance', () => showWindow())
app.on('window-all-closed', () => {
  // A tray app keeps running with no window open.
})

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

void app.whenReady().then(async () => {
  installWebSecurity()
  const openAdvisoryWindow = (advisoryId: string | undefined): void =>
    showWindow({
      screen: advisoryId ? 'advisories' : 'overview',
      advisoryId: advisoryId ?? null,
      checkClipboard: false,
    })
  const created = await createAppBackend({
    dataDir: app.getPath('userData'),
    shell: 'electron',
    ports: {
      // Read only when the user asks ("Check clipboard"), never in the background (issue 6).
      readClipboard: () => clipboard.readText(),
      openExternal: (url) => openExternal(url),
      autostart: createXdgAutostart({
        exec: [process.execPath, ...(app.isPackaged ? [] : [app.getAppPath()]), '--hidden'],
      }),
      notify: (n) => showNotification(n, iconsDir, openAdvisoryWindow),
    },
  })
  if (!created.ok) {
    dialog.showErrorBox('Lifeline cannot start', created.message)
    app.quit()
    return
  }
  const backend = created.value
  registerHandlers(backend.handlers, origin, knownWebContents)

  const menuFor = () =>
    trayMenu(trayPresentation(backend.status.snapshot().state, Date.now()), {
      ...backend.trayContext(),
      now: Date.now(),
      checking: backend.status.busy,
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
    trayPresentation(backend.status.snapshot().state, Date.now()),
    menuFor(),
  )
  const refreshTray = (): void =>
    tray.update(trayPresentation(backend.status.snapshot().state, Date.now()), menuFor())
  backend.on('onStatusChanged', (s) => {
    refreshTray()
    if (win) sendToRenderer(win, 'onStatusChanged', s)
  })
  backend.on('onSettingsChanged', (s) => {
    refreshTray()
    if (win) sendToRenderer(win, 'onSettingsChanged', s)
  })
  backend.on('onNavigate', (to) => showWindow(to))

  // Re-check at once after sleep or when the network comes back (issue 7); the backend ignores bursts.
  powerMonitor.on('resume', () => backend.kick('resume'))
  let online = net.isOnline()
  const onlineTimer = setInterval(() => {
    const now = net.isOnline()
    if (now && !online) backend.kick('online')
    online = now
    refreshTray() // keeps the grey icon's "last verified N ago" true
  }, ONLINE_POLL_MS)

  app.on('before-quit', () => {
    clearInterval(onlineTimer)
    backend.stop()
    tray.destroy()
  })
  if (!process.argv.includes('--hidden')) showWindow()
  await backend.start()
})
