import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { copyText } from '../clipboard'
import { MirrorTable } from '../components/mirror-table'
import { RelativeTime } from '../components/relative-time'
import { StepList } from '../components/step-list'
import { VerdictBanner } from '../components/verdict-banner'
import type { StatusStoreState } from '../state/status-store'
import { freshnessLine, nextSteps, overviewModel, shownReport } from '../state/selectors'
import type { UiStoreState } from '../state/ui-store'
import { useNow } from '../use-now'

/** The overview screen: am I safe, what do I do now, how fresh and how verified is the data. */
export function OverviewView(props: {
  readonly store: StoreApi<StatusStoreState>
  readonly ui: StoreApi<UiStoreState>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const snapshot = useStore(props.store, (s) => s.snapshot)
  const requesting = useStore(props.store, (s) => s.requesting)
  const error = useStore(props.store, (s) => s.error)
  const checkNow = useStore(props.store, (s) => s.checkNow)
  const navigate = useStore(props.ui, (s) => s.navigate)
  const now = useNow()
  const model = overviewModel(snapshot)
  const report = shownReport(snapshot)
  const steps = nextSteps(report)
  const affecting = (report?.assessment?.advisories ?? []).filter(
    (a) => a.status !== 'fixed' && a.status !== 'not-affected',
  )
  return (
    <main className="overview" aria-labelledby="overview-title">
      <VerdictBanner
        headingRef={props.headingRef}
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
      <section className="next-step" aria-labelledby="next-title">
        <h2 id="next-title">What to do now</h2>
        {steps.length > 0 ? (
          <StepList steps={steps} onCopy={copyText} label="Steps for this computer" />
        ) : (
          <p className="muted">
            {model.report?.verdict === 'unknown'
              ? model.report.verdictRow === null || model.report.verdictRow === 'nothing-verified'
                ? 'Nothing can be verified right now. Do not follow update instructions you find online until Lifeline can check them.'
                : 'Nothing verified to install. Do not follow update instructions you find online; Lifeline keeps checking.'
              : model.report
                ? 'Nothing. Lifeline keeps checking in the background and will tell you once if something changes.'
                : 'Waiting for the first check.'}
          </p>
        )}
        {affecting.length > 0 && (
          <button type="button" className="link-button" onClick={() => navigate('advisories')}>
            See the {affecting.length} advisor{affecting.length === 1 ? 'y' : 'ies'} behind this
          </button>
        )}
      </section>
      <section className="freshness" aria-labelledby="fresh-title">
        <h2 id="fresh-title">How fresh and verified this is</h2>
        <p>{freshnessLine(report)}</p>
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
