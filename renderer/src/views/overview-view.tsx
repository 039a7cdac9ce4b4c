import { useEffect, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { MirrorTable } from '../components/mirror-table'
import { RelativeTime } from '../components/relative-time'
import { VerdictBanner } from '../components/verdict-banner'
import type { StatusStoreState } from '../state/status-store'
import { overviewModel } from '../state/selectors'

/** Re-renders every 30 s so relative times stay true. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(t)
  }, [])
  return now
}

/** The overview screen: am I safe, what do I do, how fresh and how verified is the data. */
export function OverviewView(props: { readonly store: StoreApi<StatusStoreState> }) {
  const snapshot = useStore(props.store, (s) => s.snapshot)
  const requesting = useStore(props.store, (s) => s.requesting)
  const error = useStore(props.store, (s) => s.error)
  const checkNow = useStore(props.store, (s) => s.checkNow)
  const now = useNow()
  const model = overviewModel(snapshot)
  return (
    <main className="overview" aria-labelledby="overview-title">
      <h2 id="overview-title" className="visually-hidden">
        Overview
      </h2>
      <VerdictBanner
        model={model}
        revision={snapshot?.revision ?? null}
        busy={requesting}
        onCheckNow={() => void checkNow()}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="freshness" aria-label="How fresh the data is">
        {model.report ? (
          <p>
            Last check finished <RelativeTime iso={model.report.finishedAt} now={now} />.
          </p>
        ) : (
          <p className="muted">No check has finished yet.</p>
        )}
        {model.lastGood && (
          <p data-testid="last-good">
            Last verified state is from <RelativeTime iso={model.lastGood.finishedAt} now={now} />.
          </p>
        )}
      </section>
      <MirrorTable mirrors={model.report?.mirrors ?? []} now={now} />
    </main>
  )
}
