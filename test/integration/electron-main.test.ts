/**
 * The Electron composition root (main/index.ts), proven without an Electron binary: the REAL built bundle
 * (out/main/index.js) runs in a child Node process where 'electron' resolves to test/support/fake-electron, with a
 * temporary data folder and resources whose only mirror is a loopback server (no network). What the app asked of
 * Electron, and how its IPC, navigation, permission and tray wiring answered probes, comes back as JSON.
 *
 * What only a real Electron can show (the sandboxed renderer actually loading, the CSP, a real panel's tray) is
 * in test/electron (skipped where no binary exists).
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Channels, EventNames } from '../../preload/contract/channels'
import { secureWebPreferences } from '../../main/electron/window-policy'
import { isAllowedExternalUrl } from '../../main/core/status/external-links'
import {
  BUILT,
  ensureBuilt,
  ROOT,
  runMainWithFakeElectron,
  type FakeElectronRun,
} from '../support/fake-electron/run'
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server'
import { makeTempDir, type TempDir } from '../support/temp-dir'

interface MenuItem {
  readonly type: string
  readonly label: string | null
  readonly enabled: boolean
}
interface Snapshot {
  readonly calls: readonly (readonly unknown[])[]
  readonly sandboxEnabled: boolean
  readonly quitCalled: boolean
  readonly handlers: readonly string[]
  readonly windows: readonly {
    readonly options: { readonly webPreferences?: Record<string, unknown> }
    readonly loaded: readonly { readonly kind: string; readonly path?: string; readonly url?: string }[]
    readonly preloadExists: boolean
    readonly sent: readonly {
      readonly channel: string
      readonly kind: string | null
      readonly payload?: unknown
    }[]
  }[]
  readonly trays: readonly {
    readonly images: readonly { readonly path: string | null; readonly exists: boolean }[]
    readonly tooltip: string | null
    readonly menu: readonly MenuItem[]
    readonly destroyed: boolean
  }[]
  readonly notifications: readonly unknown[]
  readonly openExternal: readonly string[]
  readonly clipboardReads: number
  readonly emptyImages: readonly string[]
  readonly errorBoxes: readonly unknown[]
  readonly hasPermissionHandlers: { readonly request: boolean; readonly check: boolean }
}
type ApiAnswer =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly code: string }
interface FullResult {
  readonly errors: readonly string[]
  readonly atStart: Snapshot
  readonly final: Snapshot
  readonly ipc: {
    readonly forbidden: Record<string, Record<string, ApiAnswer>>
    readonly trusted: Record<string, ApiAnswer>
  }
  readonly webContents: {
    readonly listeners: Record<string, number>
    readonly navigation: Record<string, boolean>
    readonly redirect: Record<string, boolean>
    readonly webview: boolean
    readonly windowOpen: Record<string, { readonly action: string }> | null
  }
  readonly permissions: { readonly request: Record<string, unknown>; readonly check: Record<string, unknown> }
  readonly secondInstanceFocused: boolean
  readonly pausedMenu: readonly MenuItem[]
  readonly reopened: {
    readonly loaded: readonly { readonly path?: string }[]
    readonly trustedNew: ApiAnswer
    readonly trustedClosed: ApiAnswer
  }
}

let tmp: TempDir
let mirror: LoopbackServer
let full: FakeElectronRun
let r: FullResult

/** A resources folder like the packaged one, whose only mirror is the loopback server. */
async function makeResources(
  dir: string,
  mirrorUrl: string,
  policy?: Record<string, unknown>,
): Promise<string> {
  const res = join(dir, 'resources')
  await mkdir(join(res, 'config'), { recursive: true })
  await cp(join(ROOT, 'resources', 'keys'), join(res, 'keys'), { recursive: true })
  await cp(join(ROOT, 'resources', 'icons'), join(res, 'icons'), { recursive: true })
  await writeFile(
    join(res, 'config', 'default.json'),
    JSON.stringify({
      pollIntervalMinutes: 60,
      mirrors: [
        {
          id: 'loopback',
          name: 'Loopback mirror',
          url: `${mirrorUrl}/ubuntu`,
          suites: ['{codename}-security'],
          components: ['main'],
          architectures: ['amd64'],
        },
      ],
      channels: [],
    }),
  )
  if (policy) {
    await mkdir(join(res, 'policy'), { recursive: true })
    await writeFile(join(res, 'policy', 'org.json'), JSON.stringify(policy))
  }
  return res
}

function envFor(dir: string, resources: string): Record<string, string> {
  return {
    LIFELINE_RESOURCES: resources,
    FAKE_ELECTRON_USER_DATA: join(dir, 'user-data'),
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'home', '.config'),
  }
}

beforeAll(async () => {
  await ensureBuilt()
  tmp = await makeTempDir('lifeline-electron-')
  mirror = await startLoopbackServer((_req, res) => {
    res.statusCode = 404
    res.end('not here')
  })
  const resources = await makeResources(tmp.path, mirror.url)
  // A KDE panel (22 px icons) on a 2x screen: the tray must load the 44 px drawing.
  full = await runMainWithFakeElectron('full', {
    ...envFor(tmp.path, resources),
    XDG_CURRENT_DESKTOP: 'KDE',
    FAKE_ELECTRON_SCALE: '2',
  })
  r = full.result as unknown as FullResult
}, 90_000)

afterAll(async () => {
  await mirror?.close()
  await tmp?.cleanup()
})

const requestChannels = Object.entries(Channels)
  .filter(([method]) => !(EventNames as readonly string[]).includes(method))
  .map(([, channel]) => channel)

describe('main/index.ts under a fake electron', () => {
  describe('when the primary instance starts', () => {
    it('runs the whole scenario without an error and exits on its own after Quit', () => {
      expect(r.errors).toEqual([])
      expect(full.killed).toBe(false)
      expect(full.exitCode).toBe(0)
      expect(r.final.errorBoxes).toEqual([])
    })

    it('enables the sandbox before the app is ready', () => {
      expect(r.final.sandboxEnabled).toBe(true)
      const names = r.final.calls.map((c) => c[0])
      expect(names.indexOf('app.enableSandbox')).toBeLessThan(names.indexOf('ready'))
    })

    it('gives the window exactly secureWebPreferences with a built .cjs preload', () => {
      const win = r.atStart.windows[0]
      expect(win).toBeDefined()
      const prefs = win?.options.webPreferences ?? {}
      expect(prefs).toEqual(secureWebPreferences(BUILT.preload))
      expect(prefs.preload).toMatch(/\.cjs$/)
      expect(win?.preloadExists).toBe(true)
    })

    it('loads out/renderer/index.html from disk', () => {
      expect(r.atStart.windows[0]?.loaded).toEqual([{ kind: 'file', path: BUILT.renderer }])
    })

    it('registers one ipcMain.handle per request channel of the contract, and nothing else', () => {
      expect(r.final.handlers).toEqual([...requestChannels].sort())
    })

    it('really checked: the loopback mirror was asked for its InRelease and the page got the result', () => {
      expect(mirror.requests.some((q) => q.path.endsWith('/InRelease'))).toBe(true)
      const kinds = r.atStart.windows[0]?.sent
        .filter((s) => s.channel === Channels.onStatusChanged)
        .map((s) => s.kind)
      expect(kinds).toContain('no-source')
    })

    it('never reads the clipboard, notifies or opens a link on its own', () => {
      expect(r.final.clipboardReads).toBe(0)
      expect(r.final.notifications).toEqual([])
      expect(r.final.openExternal.filter((u) => !isAllowedExternalUrl(u))).toEqual([])
    })
  })

  describe('when an IPC request comes from anywhere but the main frame of the app page', () => {
    it.each(['subframe', 'foreignUrl', 'otherFile', 'unknownWebContents', 'destroyedFrame'])(
      'answers API_FORBIDDEN on every channel to a %s sender',
      (sender) => {
        for (const channel of requestChannels) {
          expect(r.ipc.forbidden[channel]?.[sender], `${channel} from ${sender}`).toMatchObject({
            ok: false,
            code: 'API_FORBIDDEN',
          })
        }
      },
    )
  })

  describe('when an IPC request comes from the main frame of the app page', () => {
    it('returns the real snapshot, app info and settings', () => {
      expect(r.ipc.trusted.getStatus).toMatchObject({ ok: true, value: { kind: 'no-source' } })
      expect(r.ipc.trusted.getAppInfo).toMatchObject({
        ok: true,
        value: { name: 'Lifeline', shell: 'electron' },
      })
      expect(r.ipc.trusted.getSettings).toMatchObject({ ok: true, value: { autostart: { available: true } } })
    })

    it('still validates the arguments (API_BAD_ARGUMENT for a URL or an extra argument)', () => {
      expect(r.ipc.trusted.badArgument).toMatchObject({ ok: false, code: 'API_BAD_ARGUMENT' })
      expect(r.ipc.trusted.extraArgument).toMatchObject({ ok: false, code: 'API_BAD_ARGUMENT' })
    })

    it('trusts a reopened window and no longer trusts the closed one', () => {
      expect(r.reopened.loaded).toEqual([{ kind: 'file', path: BUILT.renderer }])
      expect(r.reopened.trustedNew).toMatchObject({ ok: true })
      expect(r.reopened.trustedClosed).toMatchObject({ ok: false, code: 'API_FORBIDDEN' })
    })
  })

  describe('when the page tries to leave or grow', () => {
    it('has navigation, redirect and webview guards installed on the window', () => {
      expect(r.webContents.listeners).toEqual({ willNavigate: 1, willRedirect: 1, willAttachWebview: 1 })
    })

    it('prevents every navigation and redirect, including to its own page and allowlisted sites', () => {
      expect(Object.keys(r.webContents.navigation)).toContain(pathToFileURL(BUILT.renderer).href)
      expect(Object.values(r.webContents.navigation).every(Boolean)).toBe(true)
      expect(Object.values(r.webContents.redirect).every(Boolean)).toBe(true)
      expect(r.webContents.webview).toBe(true)
    })

    it('denies window.open for every URL', () => {
      expect(r.webContents.windowOpen).not.toBeNull()
      expect(Object.values(r.webContents.windowOpen ?? {})).toEqual(
        Object.keys(r.webContents.windowOpen ?? {}).map(() => ({ action: 'deny' })),
      )
    })

    it('denies every permission request and check except clipboard-sanitized-write', () => {
      expect(r.final.hasPermissionHandlers).toEqual({ request: true, check: true })
      for (const [p, granted] of Object.entries(r.permissions.request)) {
        expect(granted, p).toBe(p === 'clipboard-sanitized-write')
      }
      for (const [p, granted] of Object.entries(r.permissions.check)) {
        expect(granted, p).toBe(p === 'clipboard-sanitized-write')
      }
    })
  })

  describe('the tray', () => {
    it('shows the grey icon drawn for a 22 px panel at 2x, from the resources folder, and says no source is reachable', () => {
      const tray = r.atStart.trays[0]
      expect(tray?.images[0]?.exists).toBe(true)
      expect(tray?.images[0]?.path).toBe(join(tmp.path, 'resources', 'icons', 'tray-grey-22@2x.png'))
      expect(tray?.tooltip).toMatch(/no source reachable/i)
      expect(r.final.emptyImages).toEqual([])
    })

    it("has the issue's menu: status line, Open, Check now, Check clipboard, Pause (1 h / tomorrow), Quit", () => {
      const labels = r.atStart.trays[0]?.menu.filter((i) => i.type !== 'separator').map((i) => i.label)
      expect(labels).toEqual([
        'No source reachable.',
        'Open Lifeline',
        'Check now',
        'Check clipboard',
        'Pause notifications for 1 hour',
        'Pause notifications until tomorrow',
        'Quit Lifeline',
      ])
      expect(r.atStart.trays[0]?.menu[0]).toMatchObject({ enabled: false })
    })

    it('turns Pause into Resume while paused', () => {
      const labels = r.pausedMenu.map((i) => i.label)
      expect(labels).toContain('Resume notifications')
      expect(labels).not.toContain('Pause notifications for 1 hour')
      expect(labels.some((l) => l?.startsWith('Notifications paused for'))).toBe(true)
    })

    it('Check clipboard opens the checker and asks the page to check (main reads nothing by itself)', () => {
      const nav = r.final.windows[0]?.sent
        .filter((s) => s.channel === Channels.onNavigate)
        .map((s) => s.payload)
      expect(nav).toContainEqual({ screen: 'inspect', advisoryId: null, checkClipboard: true })
    })

    it('a second launch raises the existing window', () => {
      expect(r.secondInstanceFocused).toBe(true)
    })

    it('Quit destroys the tray', () => {
      expect(r.final.quitCalled).toBe(true)
      expect(r.final.trays[0]?.destroyed).toBe(true)
    })
  })
})

describe('main/index.ts when another instance holds the lock', () => {
  it('quits and builds nothing: no backend, no handlers, no tray, no window', async () => {
    const dir = join(tmp.path, 'second')
    const res = await makeResources(dir, mirror.url)
    const before = mirror.requests.length
    const run = await runMainWithFakeElectron('second-instance', envFor(dir, res))
    const s = run.result.final as Snapshot
    expect(run.result.errors).toEqual([])
    expect(s.quitCalled).toBe(true)
    expect(s.handlers).toEqual([])
    expect(s.trays).toEqual([])
    expect(s.windows).toEqual([])
    expect(mirror.requests.length).toBe(before)
  })
})

describe('the built preload (out/preload/index.cjs in a vm context, as a sandboxed preload runs)', () => {
  interface Exposed {
    readonly name: string
    readonly api: Record<string, unknown>
  }
  interface Loaded {
    readonly exposed: Exposed[]
    readonly required: string[]
    readonly invoked: unknown[][]
    readonly listeners: Map<string, Set<(...a: unknown[]) => void>>
    readonly globals: string[]
  }

  /** Runs the preload with fake contextBridge/ipcRenderer; a sandboxed preload may only `require('electron')`. */
  async function loadPreload(): Promise<Loaded> {
    const code = await readFile(BUILT.preload, 'utf8')
    const exposed: Exposed[] = []
    const required: string[] = []
    const invoked: unknown[][] = []
    const listeners = new Map<string, Set<(...a: unknown[]) => void>>()
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push({ name, api }),
      },
      ipcRenderer: {
        invoke: (...a: unknown[]) => {
          invoked.push(a)
          return Promise.resolve({ ok: true, value: null })
        },
        on: (channel: string, l: (...a: unknown[]) => void) => {
          const set = listeners.get(channel) ?? new Set()
          set.add(l)
          listeners.set(channel, set)
        },
        removeListener: (channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
      },
    }
    const sandbox: Record<string, unknown> = {
      require: (id: string) => {
        required.push(id)
        if (id !== 'electron') throw new Error(`module not found: ${id}`)
        return electron
      },
      module: { exports: {} },
      exports: {},
    }
    const before = new Set(Object.keys(sandbox))
    // Electron wraps a sandboxed preload in a function, as Node wraps a CommonJS module.
    const wrapped = `(function (require, module, exports) {${code}\n})(require, module, exports)`
    runInNewContext(wrapped, sandbox, { filename: BUILT.preload })
    return {
      exposed,
      required,
      invoked,
      listeners,
      globals: Object.keys(sandbox).filter((k) => !before.has(k)),
    }
  }

  it('is one CommonJS file that requires only electron', async () => {
    const p = await loadPreload()
    expect(p.required).toEqual(['electron'])
    expect(p.globals).toEqual([])
  })

  it("exposes exactly the contract's methods, as functions, under the one name `api`", async () => {
    const p = await loadPreload()
    expect(p.exposed.map((e) => e.name)).toEqual(['api'])
    const api = p.exposed[0]?.api ?? {}
    expect(Object.keys(api).sort()).toEqual(Object.keys(Channels).sort())
    for (const [k, v] of Object.entries(api)) expect(typeof v, k).toBe('function')
  })

  it('sends each request on its own channel with only the given arguments', async () => {
    const p = await loadPreload()
    const api = p.exposed[0]?.api as Record<string, (...a: unknown[]) => Promise<unknown>>
    await api.getStatus?.()
    await api.inspectText?.('sudo apt update')
    await api.setSetting?.('pollIntervalMinutes', 30)
    expect(p.invoked).toEqual([
      [Channels.getStatus],
      [Channels.inspectText, 'sudo apt update'],
      [Channels.setSetting, 'pollIntervalMinutes', 30],
    ])
  })

  it('hands listeners the payload only, never the IpcRendererEvent, and unsubscribes', async () => {
    const p = await loadPreload()
    const api = p.exposed[0]?.api as Record<string, (l: (...a: unknown[]) => void) => () => void>
    for (const name of EventNames) {
      const got: unknown[][] = []
      const off = api[name]?.((...a: unknown[]) => got.push(a))
      const channel = Channels[name]
      const event = { sender: { send() {} }, ports: [], senderFrame: {} }
      for (const l of p.listeners.get(channel) ?? []) l(event, { revision: 7 })
      expect(got, name).toEqual([[{ revision: 7 }]])
      off?.()
      expect(p.listeners.get(channel)?.size ?? 0, name).toBe(0)
    }
  })
})

describe('main/index.ts start at login', () => {
  const entry = (dir: string) => join(dir, 'home', '.config', 'autostart', 'lifeline.desktop')

  describe('when no policy turns it on', () => {
    it('writes no autostart entry', async () => {
      const dir = join(tmp.path, 'autostart-default')
      const run = await runMainWithFakeElectron(
        'start-only',
        envFor(dir, await makeResources(dir, mirror.url)),
      )
      expect(run.result.errors).toEqual([])
      await expect(readFile(entry(dir), 'utf8')).rejects.toThrow()
    })
  })

  describe('when a baked policy turns it on', () => {
    it('writes the XDG entry with --hidden at the first start, and keeps the user turning it off', async () => {
      const dir = join(tmp.path, 'autostart-policy')
      const env = envFor(dir, await makeResources(dir, mirror.url, { autostart: true }))
      const first = await runMainWithFakeElectron('start-only', env)
      expect(first.result.errors).toEqual([])
      expect(await readFile(entry(dir), 'utf8')).toMatch(/^Exec=.* --hidden$/m)
      // The user turns it off in Settings (the recorded choice), then starts again: it stays off.
      await writeFile(join(dir, 'user-data', 'autostart-choice.json'), '{"version":1,"by":"user"}\n')
      await rm(entry(dir))
      const second = await runMainWithFakeElectron('start-only', env)
      expect(second.result.errors).toEqual([])
      await expect(readFile(entry(dir), 'utf8')).rejects.toThrow()
    })
  })

  describe('when a policy forbids it and an entry is left from before', () => {
    it('removes the entry', async () => {
      const dir = join(tmp.path, 'autostart-forbidden')
      const env = envFor(dir, await makeResources(dir, mirror.url, { allowAutostart: false }))
      await mkdir(join(entry(dir), '..'), { recursive: true })
      await writeFile(entry(dir), '[Desktop Entry]\nType=Application\nExec=lifeline --hidden\n')
      const run = await runMainWithFakeElectron('start-only', env)
      expect(run.result.errors).toEqual([])
      await expect(readFile(entry(dir), 'utf8')).rejects.toThrow()
    })
  })
})
