import type { StoreApi } from 'zustand/vanilla'
import type { StatusStoreState } from './state/status-store'
import { OverviewView } from './views/overview-view'

/** The window: a header and the current screen. */
export function App(props: { readonly status: StoreApi<StatusStoreState> }) {
  return (
    <div className="app">
      <header className="app-header">
        <span className="logo" aria-hidden="true" />
        <span className="app-name">Lifeline</span>
        <span className="muted small">Verified Ubuntu security guidance</span>
      </header>
      <OverviewView store={props.status} />
    </div>
  )
}
