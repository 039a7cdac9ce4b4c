import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Api, Unsubscribe } from '../../../preload/contract/api'
import type { OpenAdvisoryDto, ScreenDto } from '../../../preload/contract/dto'
import { DEFAULT_FILTER, type AdvisoryFilter } from './selectors'

/** The in-memory router (no URL, no navigation: Electron denies navigation) and the Advisories screen's filters. */
export interface UiStoreState {
  readonly screen: ScreenDto
  /** The advisory whose detail is open on the Advisories screen, or null for the list. */
  readonly advisoryId: string | null
  readonly filter: AdvisoryFilter
  /** Increments on each navigation, so the screen can move focus to its heading. */
  readonly navSeq: number
  /** Links main vetted for advisories (browser mode shows them as plain links), by id. */
  readonly links: Readonly<Record<string, OpenAdvisoryDto>>
  readonly linkError: string | null
  /** Set by main's "Check clipboard" tray item; the Check instructions screen consumes it. */
  readonly clipboardRequest: number
  navigate(screen: ScreenDto, advisoryId?: string | null): void
  setFilter(f: Partial<AdvisoryFilter>): void
  openAdvisory(id: string): Promise<void>
  /** Listens to main's navigation requests (tray menu, notification click). */
  start(): Unsubscribe
}

/** Builds the UI store from an `Api`. */
export function createUiStore(api: Api): StoreApi<UiStoreState> {
  return createStore<UiStoreState>()((set, get) => ({
    screen: 'overview',
    advisoryId: null,
    filter: DEFAULT_FILTER,
    navSeq: 0,
    links: {},
    linkError: null,
    clipboardRequest: 0,
    navigate(screen, advisoryId = null) {
      set({ screen, advisoryId: screen === 'advisories' ? advisoryId : null, navSeq: get().navSeq + 1 })
    },
    setFilter(f) {
      set({ filter: { ...get().filter, ...f } })
    },
    async openAdvisory(id) {
      const r = await api.openAdvisory(id)
      if (r.ok) set({ links: { ...get().links, [id]: r.value }, linkError: null })
      else set({ linkError: r.message })
    },
    start() {
      return api.onNavigate((to) => {
        get().navigate(to.screen, to.advisoryId)
        if (to.checkClipboard) set({ clipboardRequest: get().clipboardRequest + 1 })
      })
    },
  }))
}
