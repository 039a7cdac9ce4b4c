import { app, dialog, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trayPresentation } from './core/status/tray-model'
import { installWebSecurity } from './electron/web-security'
import { registerHandlers, sendToRenderer } from './electron/ipc'
import { createTray } from './electron/tray'
import { createStatusWindow } from './electron/window'
import type { AppOrigin } from './electron/window-policy'
import { createAppBackend } from './node/app'
import { snapshotToDto } from './node/dto'
import { appRoot } from './node/paths'

// Composition root: wires the backend to Electron. No logic lives here.
const here = fileURLToPath(new URL('.', import.meta.url))
app.enableSandbox()
if (!app.requestSingleInstanceLock()) app.quit()

const origin: AppOrigin =
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? { kind: 'dev', origin: process.env.ELECTRON_RENDERER_URL }
    : { kind: 'file', indexPath: join(here, '..', 'renderer', 'index.html') }
const knownWebContents = new Set<number>()
let win: BrowserWindow | undefined

app.on('second-instance', () => showWindow())
app.on('window-all-closed', () => {
  // A tray app keeps running with no window open.
})

function showWindow(): void {
  if (win && !win.isDestroyed()) {
    win.show()
    win.focus()
    return
  }
  win = createStatusWindow(join(here, '..', 'preload', 'index.cjs'), origin)
  const id = win.webContents.id
  knownWebContents.add(id)
  win.on('closed', () => knownWebContents.delete(id))
}

void app.whenReady().then(async () => {
  installWebSecurity()
  const created = await createAppBackend({ dataDir: app.getPath('userData'), shell: 'electron' })
  if (!created.ok) {
    dialog.showErrorBox('Lifeline cannot start', created.message)
    app.quit()
    return
  }
  const backend = created.value
  registerHandlers(backend.handlers, origin, knownWebContents)
  const tray = createTray(
    join(appRoot(), 'resources', 'icons'),
    { open: showWindow, checkNow: () => void backend.status.checkNow(), quit: () => app.quit() },
    trayPresentation(backend.status.snapshot().state, Date.now()),
  )
  backend.status.subscribe((s) => {
    tray.update(trayPresentation(s.state, Date.now()))
    if (win) sendToRenderer(win, 'onStatusChanged', snapshotToDto(s))
  })
  app.on('before-quit', () => {
    backend.stop()
    tray.destroy()
  })
  showWindow()
  await backend.start()
})
