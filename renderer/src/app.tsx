import { useCallback, useEffect, useRef, type RefObject } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { ScreenDto } from '../../preload/contract/dto'
import { ConnectionNotice } from './components/connection-notice'
import { NavBar } from './components/nav-bar'
import { assertNever } from './state/assert-never'
import { isLive, type ConnectionStoreState } from './state/connection-store'
import type { InspectStoreState } from './state/inspect-store'
import { shownReport } from './state/selectors'
import type { SettingsStoreState } from './state/settings-store'
import type { StatusStoreState } from './state/status-store'
import type { UiStoreState } from './state/ui-store'
import { AdvisoriesView } from './views/advisories-view'
import { InspectView } from './views/inspect-view'
import { OverviewView } from './views/overview-view'
import { SettingsView } from './views/settings-view'
import { SourcesView } from './views/sources-view'

/** The stores the window is built from. */
export interface AppStores {
  readonly status: StoreApi<StatusStoreState>
  readonly ui: StoreApi<UiStoreState>
  readonly inspect: StoreApi<InspectStoreState>
  readonly settings: StoreApi<SettingsStoreState>
  readonly connection: StoreApi<ConnectionStoreState>
}

/** The window: a header, the screen switcher and the current screen (in-memory routing, no navigation). */
export function App(props: { readonly stores: AppStores; readonly shell: 'electron' | 'browser' }) {
  const { stores } = props
  const screen = useStore(stores.ui, (s) => s.screen)
  const navigate = useStore(stores.ui, (s) => s.navigate)
  const snapshot = useStore(stores.status, (s) => s.snapshot)
  const branding = useStore(stores.settings, (s) => s.settings?.brandingText ?? null)
  const connection = useStore(stores.connection, (s) => s.state)
  const retryNow = useStore(stores.connection, (s) => s.retryNow)
  const { heading, headingRef } = useHeadingFocus(stores)
  const affecting = (shownReport(snapshot)?.assessment?.advisories ?? []).filter((a) => a.affecting).length
  return (
    <div className="app" data-revision={snapshot?.revision ?? ''}>
      <a
        className="skip-link"
        href="#content"
        onClick={(e) => {
          e.preventDefault()
          heading.current?.focus()
        }}
      >
        Skip to content
      </a>
      <header className="app-header">
        <span className="logo" aria-hidden="true" />
        <span className="app-name">Lifeline</span>
        <span className="muted small-inline">{branding ?? 'Verified Ubuntu security guidance'}</span>
      </header>
      {isLive(connection) ? (
        <>
          <NavBar screen={screen} onNavigate={(s) => navigate(s)} badges={{ advisories: affecting }} />
          <div id="content" className="content">
            <CurrentScreen stores={stores} shell={props.shell} screen={screen} headingRef={headingRef} />
          </div>
        </>
      ) : (
        <div id="content" className="content">
          <ConnectionNotice state={connection} onRetry={retryNow} headingRef={headingRef} />
        </div>
      )}
    </div>
  )
}

/**
 * Where focus goes when the page changes under it: to the new screen's heading after a navigation, and when the
 * connection view replaces the screen (or the screen comes back), so keyboard and screen-reader users hear what
 * happened instead of focus falling to <body>.
 */
function useHeadingFocus(stores: AppStores): {
  readonly heading: RefObject<HTMLHeadingElement | null>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
} {
  const navSeq = useStore(stores.ui, (s) => s.navSeq)
  const connection = useStore(stores.connection, (s) => s.state)
  const heading = useRef<HTMLHeadingElement | null>(null)
  const headingRef = useCallback((el: HTMLHeadingElement | null) => {
    heading.current = el
  }, [])
  useEffect(() => {
    if (navSeq > 0) heading.current?.focus()
  }, [navSeq])
  const live = isLive(connection)
  const seenKind = useRef(connection.kind)
  useEffect(() => {
    if (seenKind.current === connection.kind) return
    const wasLive = seenKind.current === 'connected' || seenKind.current === 'connecting'
    seenKind.current = connection.kind
    if (!live || !wasLive) heading.current?.focus()
  }, [connection.kind, live])
  return { heading, headingRef }
}

/** The screen the window shows now. */
function CurrentScreen(props: {
  readonly stores: AppStores
  readonly shell: 'electron' | 'browser'
  readonly screen: ScreenDto
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const { stores, headingRef } = props
  const clipboardAllowed = useStore(stores.settings, (s) => s.settings?.clipboardAllowed ?? true)
  switch (props.screen) {
    case 'overview':
      return <OverviewView store={stores.status} ui={stores.ui} headingRef={headingRef} />
    case 'advisories':
      return (
        <AdvisoriesView
          store={stores.status}
          ui={stores.ui}
          settings={stores.settings}
          headingRef={headingRef}
        />
      )
    case 'sources':
      return <SourcesView store={stores.status} headingRef={headingRef} />
    case 'inspect':
      return (
        <InspectView
          store={stores.inspect}
          ui={stores.ui}
          shell={props.shell}
          clipboardAllowed={clipboardAllowed}
          headingRef={headingRef}
        />
      )
    case 'settings':
      return <SettingsView store={stores.settings} headingRef={headingRef} />
    default:
      return assertNever(props.screen)
  }
}
