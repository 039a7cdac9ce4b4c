import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'

// The page gets the typed Api and nothing else; the IpcRendererEvent never reaches it.
const api = createBridge({
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
  on: (channel, listener) => {
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => void ipcRenderer.removeListener(channel, wrapped)
  },
})
contextBridge.exposeInMainWorld('api', api)
