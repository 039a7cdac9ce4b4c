import { useCallback, useEffect, useRef } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import { ConnectionNotice } from './components/connection-notice'
import { NavBar } from './components/nav-bar'
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
  const navSeq = useStore(stores.ui, (s) => s.navSeq)
  const navigate = useStore(stores.ui, (s) => s.navigate)
  const snapshot = useStore(stores.status, (s) => s.snapshot)
  const clipboardAllowed = useStore(stores.settings, (s) => s.settings?.clipboardAllowed ?? true)
  const branding = useStore(stores.settings, (s) => s.settings?.brandingText ?? null)
  const connection = useStore(stores.connection, (s) => s.state)
  const retryNow = useStore(stores.connection, (s) => s.retryNow)
  const heading = useRef<HTMLHeadingElement | null>(null)
  const headingRef = useCallback((el: HTMLHeadingElement | null) => {
    heading.current = el
  }, [])
  // After a navigation, move focus to the new screen's heading so keyboard and screen-reader users land there.
  useEffect(() => {
    if (navSeq > 0) heading.current?.focus()
  }, [navSeq])
  // When the connection view replaces the screen (or the screen comes back), focus would fall to <body>: move it to
  // the new heading, so keyboard and screen-reader users hear what happened.
  const live = isLive(connection)
  const seenKind = useRef(connection.kind)
  useEffect(() => {
    if (seenKind.current === connection.kind) return
    const wasLive = seenKind.current === 'connected' || seenKind.current === 'connecting'
    seenKind.current = connection.kind
    if (!live || !wasLive) heading.current?.focus()
  }, [connection.kind, live])
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
            {screen === 'overview' && (
              <OverviewView store={stores.status} ui={stores.ui} headingRef={headingRef} />
            )}
            {screen === 'advisories' && (
              <AdvisoriesView
                store={stores.status}
                ui={stores.ui}
                settings={stores.settings}
                headingRef={headingRef}
              />
            )}
            {screen === 'sources' && <SourcesView store={stores.status} headingRef={headingRef} />}
            {screen === 'inspect' && (
              <InspectView
                store={stores.inspect}
                ui={stores.ui}
                shell={props.shell}
                clipboardAllowed={clipboardAllowed}
                headingRef={headingRef}
              />
            )}
            {screen === 'settings' && <SettingsView store={stores.settings} headingRef={headingRef} />}
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
