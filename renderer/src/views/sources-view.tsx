import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { ChannelTable } from '../components/channel-table'
import { MirrorTable } from '../components/mirror-table'
import type { StatusStoreState } from '../state/status-store'
import { freshnessLine, shownReport } from '../state/selectors'
import { useNow } from '../use-now'

/** The Sources screen: every mirror and advisory source, how it stands, and what a failure means. */
export function SourcesView(props: {
  readonly store: StoreApi<StatusStoreState>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const snapshot = useStore(props.store, (s) => s.snapshot)
  const now = useNow()
  const report = shownReport(snapshot)
  return (
    <main aria-labelledby="sources-title">
      <h1 id="sources-title" tabIndex={-1} ref={props.headingRef}>
        Sources
      </h1>
      <p>{freshnessLine(report)}</p>
      <details className="legend">
        <summary>How Lifeline checks a mirror</summary>
        <p>
          Each mirror&apos;s Release file must be signed by a pinned Ubuntu archive key, be recent, and be no
          older than one seen before. Every package list must match the checksum the signed Release names.
          Only then is a version &quot;verified&quot;.
        </p>
      </details>
      <MirrorTable mirrors={report?.mirrors ?? []} now={now} detailed />
      <ChannelTable channels={report?.channels ?? []} now={now} />
      {report && report.systemProblems.length > 0 && (
        <section aria-labelledby="problems-title">
          <h2 id="problems-title">Problems reading this computer</h2>
          <ul>
            {report.systemProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      )}
    </main>
  )
}
