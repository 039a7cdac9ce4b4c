import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { getApi, shellOf } from './api'
import { App, type AppStores } from './app'
import { createInspectStore } from './state/inspect-store'
import { createSettingsStore } from './state/settings-store'
import { createStatusStore } from './state/status-store'
import { createUiStore } from './state/ui-store'
import './styles/app.css'

const api = getApi()
const stores: AppStores = {
  status: createStatusStore(api),
  ui: createUiStore(api),
  inspect: createInspectStore(api),
  settings: createSettingsStore(api),
}
stores.status.getState().start()
stores.ui.getState().start()
stores.settings.getState().start()
// A network change is a reason to re-check at once (issue 7); main ignores bursts.
window.addEventListener('online', () => void api.networkChanged())

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App stores={stores} shell={shellOf()} />
    </StrictMode>,
  )
}
