import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { Events, Handlers } from '../../preload/contract/api'
import { Channels } from '../../preload/contract/channels'
import { ArgumentChecks, invokeHandler } from '../node/handlers'
import { isTrustedSender, type AppOrigin } from './window-policy'

/**
 * Registers every request of the contract with `ipcMain.handle`, behind one wrapper that checks the sender frame
 * and lets `invokeHandler` validate the arguments.
 */
export function registerHandlers(
  handlers: Handlers,
  appOrigin: AppOrigin,
  knownWebContents: ReadonlySet<number>,
): void {
  for (const method of Object.keys(ArgumentChecks) as (keyof Handlers)[]) {
    ipcMain.handle(Channels[method], async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const frame = event.senderFrame
      const trusted =
        frame !== null &&
        isTrustedSender(
          { isMainFrame: frame.parent === null, url: frame.url, webContentsId: event.sender.id },
          appOrigin,
          knownWebContents,
        )
      if (!trusted) return { ok: false, code: 'API_FORBIDDEN', message: 'untrusted sender' }
      return invokeHandler(handlers, method, args)
    })
  }
}

/** Sends an event to a window, unless it is gone (GitHub Desktop `ipc-webcontents.ts`). */
export function sendToRenderer<K extends keyof Events>(
  win: BrowserWindow,
  event: K,
  payload: Events[K],
): void {
  if (win.isDestroyed() || win.webContents.isDestroyed()) return
  win.webContents.send(Channels[event], payload)
}
