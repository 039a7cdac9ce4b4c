import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { HelpdeskContact, SettingsForm } from '../components/settings-form'
import type { SettingsStoreState } from '../state/settings-store'
import { useNow } from '../use-now'

/** The Settings screen. */
export function SettingsView(props: {
  readonly store: StoreApi<SettingsStoreState>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const s = useStore(props.store)
  const now = useNow()
  return (
    <main aria-labelledby="settings-title">
      <h1 id="settings-title" tabIndex={-1} ref={props.headingRef}>
        Settings
      </h1>
      {s.settings?.brandingText && <p className="branding">{s.settings.brandingText}</p>}
      {s.settings?.helpdesk && (
        <p>
          Help: <HelpdeskContact helpdesk={s.settings.helpdesk} />
        </p>
      )}
      {s.error && (
        <p className="error" role="alert" data-code={s.errorCode ?? ''}>
          {s.error}
        </p>
      )}
      {s.settings ? (
        <SettingsForm
          settings={s.settings}
          saving={s.saving}
          now={now}
          onChange={(k, v) => void s.set(k, v)}
          onPause={(c) => void s.pause(c)}
          onChannel={(id, on) => void s.setChannel(id, on)}
        />
      ) : (
        <p className="muted">Loading settings…</p>
      )}
      {s.settings && s.settings.problems.length > 0 && (
        <section aria-labelledby="config-problems">
          <h2 id="config-problems">Configuration problems</h2>
          <ul>
            {s.settings.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      )}
    </main>
  )
}
