import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { getApi } from './api'
import { App } from './app'
import { createStatusStore } from './state/status-store'
import './styles/app.css'

const status = createStatusStore(getApi())
status.getState().start()

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App status={status} />
    </StrictMode>,
  )
}
