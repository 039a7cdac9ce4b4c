import { BrowserWindow } from 'electron'
import { secureWebPreferences, type AppOrigin } from './window-policy'

/** Creates the status window with the secure defaults and loads the app's own page. */
export function createStatusWindow(preloadPath: string, origin: AppOrigin): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 720,
    minWidth: 480,
    minHeight: 400,
    show: false,
    title: 'Lifeline',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  })
  win.once('ready-to-show', () => win.show())
  if (origin.kind === 'dev') void win.loadURL(origin.origin)
  else void win.loadFile(origin.indexPath)
  return win
}
