import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { getApi, shellOf } from './api'
import { App, type AppStores } from './app'
import { createInspectStore } from './state/inspect-store'
import { createSettingsStore } from './state/settings-store'
import { createStatusStore } from './state/status-store'
import { createUiStore } from './state/ui-store'
import './styles/app.css'

const { api, connection } = getApi()
const stores: AppStores = {
  status: createStatusStore(api),
  ui: createUiStore(api),
  inspect: createInspectStore(api),
  settings: createSettingsStore(api),
  connection,
}
stores.status.getState().start()
stores.ui.getState().start()
stores.settings.getState().start()
// A network change is a reason to re-check at once (docs/ui.md, "Background checks"); main ignores bursts.
window.addEventListener('online', () => void api.networkChanged())
connection.subscribe((now, before) => {
  // Back after a loss: events may have been missed, so ask again instead of trusting what is on screen.
  if (now.state.kind === 'connected' && before.state.kind === 'lost') {
    void stores.status.getState().refresh()
    void stores.settings.getState().refresh()
  }
  // The server stopped on purpose: close the app window it opened. A browser ignores this for a tab the user opened
  // (it has history), which then shows "Lifeline has stopped".
  if (now.state.kind === 'stopped' && before.state.kind !== 'stopped') window.close()
})

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App stores={stores} shell={shellOf()} />
    </StrictMode>,
  )
}
