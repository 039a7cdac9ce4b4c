// A fake `electron` module for the main process, so the REAL built bundle (out/main/index.js) runs under plain Node
// without an Electron binary (none can be downloaded here). It records what the app asks of Electron in `recorder`
// and is strict where Electron is strict, so a wiring bug fails here as it would in the real runtime:
//  - app.enableSandbox() after ready throws ("app.enableSandbox() can only be called before app is ready");
//  - BrowserWindow, Tray, session.defaultSession and powerMonitor before ready throw;
//  - a second ipcMain.handle for one channel throws ("Attempted to register a second handler for '…'");
//  - nativeImage.createFromPath of a missing file gives an empty image (recorded, so the test can see it).
// `ready` is fired by the driver (`fireReady()`) once the entry module has been evaluated, as Electron does.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { setImmediate } from 'node:timers'

/** Everything the app did to Electron, in the order it did it. */
export const recorder = {
  /** `[name, ...args]` of notable calls (JSON-safe). */
  calls: [],
  ready: false,
  sandboxEnabled: false,
  quitCalled: false,
  /** @type {FakeBrowserWindow[]} */
  windows: [],
  /** channel -> handler */
  handlers: new Map(),
  /** @type {FakeTray[]} */
  trays: [],
  notifications: [],
  openExternal: [],
  clipboardReads: 0,
  clipboardText: '',
  emptyImages: [],
  permissionRequestHandler: undefined,
  permissionCheckHandler: undefined,
  errorBoxes: [],
}

const record = (...call) => recorder.calls.push(call)
const needReady = (what) => {
  if (!recorder.ready) throw new Error(`${what} cannot be used before app is ready`)
}

class FakeApp extends EventEmitter {
  #readyWaiters = []
  isPackaged = false
  enableSandbox() {
    if (recorder.ready) throw new Error('app.enableSandbox() can only be called before app is ready')
    recorder.sandboxEnabled = true
    record('app.enableSandbox')
  }
  requestSingleInstanceLock() {
    const got = process.env.FAKE_ELECTRON_LOCK !== '0'
    record('app.requestSingleInstanceLock', got)
    return got
  }
  isReady() {
    return recorder.ready
  }
  whenReady() {
    if (recorder.ready) return Promise.resolve()
    return new Promise((r) => this.#readyWaiters.push(r))
  }
  /** Driver only: what Electron does once the entry point has been evaluated. */
  fireReady() {
    recorder.ready = true
    this.emit('ready', {}, {})
    for (const r of this.#readyWaiters.splice(0)) r()
  }
  getPath(name) {
    record('app.getPath', name)
    if (name === 'userData') return process.env.FAKE_ELECTRON_USER_DATA ?? resolve('.fake-user-data')
    return resolve(process.env.FAKE_ELECTRON_USER_DATA ?? '.', name)
  }
  getAppPath() {
    return process.cwd()
  }
  getVersion() {
    return '0.0.0-fake'
  }
  quit() {
    record('app.quit')
    recorder.quitCalled = true
    // Electron emits before-quit, then closes windows, then will-quit / quit.
    setImmediate(() => {
      this.emit('before-quit', { preventDefault() {} })
      for (const w of recorder.windows) w.destroy()
      this.emit('will-quit', { preventDefault() {} })
      this.emit('quit', {}, 0)
    })
  }
  exit(code) {
    record('app.exit', code)
    recorder.quitCalled = true
  }
}

/** The one `app`. */
export const app = new FakeApp()

let nextWebContentsId = 1

class FakeWebContents extends EventEmitter {
  id = nextWebContentsId++
  sent = []
  windowOpenHandler = undefined
  #destroyed = false
  send(channel, payload) {
    if (this.#destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, payload: JSON.parse(JSON.stringify(payload ?? null)) })
  }
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h
  }
  isDestroyed() {
    return this.#destroyed
  }
  destroy() {
    this.#destroyed = true
    this.emit('destroyed')
  }
}

class FakeBrowserWindow extends EventEmitter {
  loaded = []
  shown = 0
  focused = 0
  #destroyed = false
  constructor(options) {
    super()
    needReady('BrowserWindow')
    this.options = JSON.parse(JSON.stringify(options ?? {}))
    this.webContents = new FakeWebContents()
    recorder.windows.push(this)
    record('new BrowserWindow')
    // Electron announces every new web contents to app listeners before anything loads.
    app.emit('web-contents-created', {}, this.webContents)
  }
  #finishLoad() {
    setImmediate(() => {
      if (this.#destroyed) return
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    })
  }
  loadFile(path) {
    this.loaded.push({ kind: 'file', path })
    record('win.loadFile', path)
    this.#finishLoad()
    return Promise.resolve()
  }
  loadURL(url) {
    this.loaded.push({ kind: 'url', url })
    record('win.loadURL', url)
    this.#finishLoad()
    return Promise.resolve()
  }
  show() {
    this.shown++
  }
  focus() {
    this.focused++
  }
  hide() {}
  close() {
    this.destroy()
  }
  isDestroyed() {
    return this.#destroyed
  }
  isVisible() {
    return this.shown > 0 && !this.#destroyed
  }
  destroy() {
    if (this.#destroyed) return
    this.#destroyed = true
    this.webContents.destroy()
    this.emit('closed')
  }
}

/** Electron's BrowserWindow. */
export const BrowserWindow = FakeBrowserWindow

/** Electron's ipcMain: records `handle` registrations (strict about duplicates, like Electron). */
export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel, fn) {
    if (recorder.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    recorder.handlers.set(channel, fn)
  },
  removeHandler(channel) {
    recorder.handlers.delete(channel)
  },
})

class FakeNativeImage {
  constructor(path) {
    this.path = path
    this.empty = !path || !existsSync(path)
    if (this.empty) recorder.emptyImages.push(path)
  }
  isEmpty() {
    return this.empty
  }
}

/** Electron's nativeImage. */
export const nativeImage = {
  createFromPath: (path) => new FakeNativeImage(path),
  createEmpty: () => new FakeNativeImage(''),
}

class FakeTray extends EventEmitter {
  images = []
  tooltips = []
  /** Every menu set, newest last. */
  menus = []
  destroyed = false
  constructor(image) {
    super()
    needReady('Tray')
    this.images.push(image?.path ?? null)
    recorder.trays.push(this)
    record('new Tray', image?.path ?? null)
  }
  setImage(image) {
    this.images.push(image?.path ?? null)
  }
  setToolTip(t) {
    this.tooltips.push(t)
  }
  setContextMenu(menu) {
    this.menus.push(menu)
  }
  destroy() {
    this.destroyed = true
  }
}

/** Electron's Tray. */
export const Tray = FakeTray

/** Electron's Menu: `buildFromTemplate` keeps the template (with its click functions) for the driver. */
export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (m) => record('Menu.setApplicationMenu', m === null ? null : 'menu'),
}

class FakeNotification extends EventEmitter {
  static isSupported() {
    return true
  }
  constructor(options) {
    super()
    this.options = options
  }
  show() {
    recorder.notifications.push(this)
  }
  close() {}
}

/** Electron's Notification. */
export const Notification = FakeNotification

/** Electron's shell: every openExternal is recorded; nothing is opened. */
export const shell = {
  openExternal: async (url) => {
    recorder.openExternal.push(url)
  },
  openPath: async (p) => {
    record('shell.openPath', p)
    return ''
  },
  showItemInFolder: (p) => record('shell.showItemInFolder', p),
}

/** Electron's clipboard. */
export const clipboard = {
  readText: () => {
    recorder.clipboardReads++
    return recorder.clipboardText
  },
  writeText: (t) => {
    recorder.clipboardText = t
  },
}

const powerMonitorEmitter = new EventEmitter()
/** Electron's powerMonitor (usable only once ready, as in Electron). */
export const powerMonitor = new Proxy(powerMonitorEmitter, {
  get(target, prop, receiver) {
    if (prop === 'on' || prop === 'once' || prop === 'addListener') needReady('powerMonitor')
    const v = Reflect.get(target, prop, receiver)
    return typeof v === 'function' ? v.bind(target) : v
  },
})

/** Electron's net: only `isOnline` is used by the app. */
export const net = {
  online: true,
  isOnline() {
    return this.online
  },
  fetch: () => Promise.reject(new Error('fake electron: net.fetch is not available in tests')),
}

const defaultSession = {
  setPermissionRequestHandler(h) {
    recorder.permissionRequestHandler = h
  },
  setPermissionCheckHandler(h) {
    recorder.permissionCheckHandler = h
  },
  webRequest: { onHeadersReceived: (h) => record('session.webRequest.onHeadersReceived', typeof h) },
}

/** Electron's session: `defaultSession` exists only once the app is ready. */
export const session = {
  get defaultSession() {
    needReady('session.defaultSession')
    return defaultSession
  },
}

/** Electron's screen (ready only): the primary display's scale factor comes from FAKE_ELECTRON_SCALE (default 1). */
export const screen = {
  getPrimaryDisplay() {
    needReady('screen')
    return {
      id: 1,
      scaleFactor: Number(process.env.FAKE_ELECTRON_SCALE ?? '1'),
      size: { width: 1920, height: 1080 },
    }
  },
  on: () => {},
}

/** Electron's dialog: error boxes are recorded. */
export const dialog = {
  showErrorBox: (title, content) => recorder.errorBoxes.push({ title, content }),
  showMessageBox: async () => ({ response: 0, checkboxChecked: false }),
}

export default {
  app,
  BrowserWindow,
  ipcMain,
  nativeImage,
  Tray,
  Menu,
  Notification,
  shell,
  clipboard,
  powerMonitor,
  net,
  session,
  dialog,
  screen,
}
