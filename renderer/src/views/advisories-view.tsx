import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { copyText } from '../clipboard'
import { AdvisoryDetail } from '../components/advisory-detail'
import { AdvisoryFilters, AdvisoryList } from '../components/advisory-list'
import { TrustLegend } from '../components/badges'
import type { SettingsStoreState } from '../state/settings-store'
import type { StatusStoreState } from '../state/status-store'
import {
  channelLabel,
  filterAdvisories,
  shownReport,
  siteReachability,
  siteReachabilityWords,
} from '../state/selectors'
import type { UiStoreState } from '../state/ui-store'
import { useNow } from '../use-now'

/** The Advisories screen: the filtered list, or one advisory's detail. */
export function AdvisoriesView(props: {
  readonly store: StoreApi<StatusStoreState>
  readonly ui: StoreApi<UiStoreState>
  readonly settings: StoreApi<SettingsStoreState>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const snapshot = useStore(props.store, (s) => s.snapshot)
  const checkNow = useStore(props.store, (s) => s.checkNow)
  const requesting = useStore(props.store, (s) => s.requesting)
  const ui = useStore(props.ui)
  const sources = useStore(props.settings, (s) => s.settings?.channels ?? [])
  const now = useNow()
  const report = shownReport(snapshot)
  const all = report?.assessment?.advisories ?? []
  const open = ui.advisoryId ? all.find((a) => a.id === ui.advisoryId) : undefined
  const checking = requesting || snapshot?.kind === 'checking'

  if (open) {
    return (
      <main aria-labelledby="advisory-title">
        <AdvisoryDetail
          advisory={open}
          now={now}
          checking={checking}
          link={ui.links[open.id] ?? null}
          linkError={ui.linkError}
          onBack={() => ui.navigate('advisories')}
          onCheckAgain={() => void checkNow()}
          onOpenLink={() => void ui.openAdvisory(open.id)}
          onCopy={copyText}
          headingRef={props.headingRef}
          channelName={(id) => channelLabel(id, report?.channels ?? [])}
          siteNote={(host) =>
            siteReachabilityWords(host, siteReachability(host, sources, report?.channels ?? []))
          }
        />
      </main>
    )
  }
  const list = filterAdvisories(all, ui.filter)
  return (
    <main aria-labelledby="advisories-title">
      <h1 id="advisories-title" tabIndex={-1} ref={props.headingRef}>
        Advisories
      </h1>
      {ui.advisoryId && <p role="status">That advisory is not in the current report any more.</p>}
      {report?.assessment === null && report && (
        <p className="error" role="alert">
          This computer&apos;s packages could not be read: {report.systemProblems[0] ?? 'unknown problem'}
        </p>
      )}
      <AdvisoryFilters filter={ui.filter} onChange={ui.setFilter} />
      <TrustLegend />
      <AdvisoryList advisories={list} total={all.length} onOpen={(id) => ui.navigate('advisories', id)} />
    </main>
  )
}
