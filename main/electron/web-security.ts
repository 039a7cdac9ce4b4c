import { app, session } from 'electron'
import { shouldAllowNavigation, shouldGrantPermission } from './window-policy'

/** Denies navigation, new windows, webviews and permission requests for every web contents the app creates. */
export function installWebSecurity(): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!shouldAllowNavigation(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!shouldAllowNavigation(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(shouldGrantPermission(permission)),
  )
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => shouldGrantPermission(permission))
}
