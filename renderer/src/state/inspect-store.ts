import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Api } from '../../../preload/contract/api'
import type { InspectResultDto } from '../../../preload/contract/dto'

/** The Check instructions screen: the text, the last result and whether a check runs. */
export interface InspectStoreState {
  readonly text: string
  readonly result: InspectResultDto | null
  readonly running: boolean
  readonly error: string | null
  setText(text: string): void
  check(): Promise<void>
  /**
   * Checks the clipboard on the user's explicit request. Electron: main reads it (`checkClipboard`). Browser mode:
   * the page reads it with `readClipboard` (navigator.clipboard, asks the browser's permission) and checks the text.
   */
  checkClipboard(readClipboard: (() => Promise<string>) | null): Promise<void>
  clear(): void
}

/** Builds the inspect store from an `Api`. */
export function createInspectStore(api: Api): StoreApi<InspectStoreState> {
  let seq = 0
  return createStore<InspectStoreState>()((set, get) => {
    const run = async (call: () => ReturnType<Api['inspectText']>): Promise<void> => {
      const mine = ++seq
      set({ running: true, error: null })
      const r = await call()
      if (mine !== seq) return
      if (r.ok) set({ result: r.value, text: r.value.text, running: false })
      else set({ error: r.message, running: false })
    }
    return {
      text: '',
      result: null,
      running: false,
      error: null,
      setText: (text) => set({ text }),
      check: () => run(() => api.inspectText(get().text)),
      async checkClipboard(readClipboard) {
        if (readClipboard === null) return run(() => api.checkClipboard())
        let text: string
        try {
          text = await readClipboard()
        } catch {
          set({
            error: 'The browser did not allow reading the clipboard. Paste the text into the box instead.',
          })
          return
        }
        set({ text })
        return run(() => api.inspectText(text))
      },
      clear: () => {
        seq++
        set({ text: '', result: null, error: null, running: false })
      },
    }
  })
}
