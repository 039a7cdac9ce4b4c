import { useRef } from 'react'
import type { OverviewModel } from '../state/selectors'
import { useFocusRescue } from '../use-focus-rescue'

/** The verdict in one sentence and one colour. */
export function VerdictBanner(props: {
  readonly model: OverviewModel
  readonly revision: number | null
  readonly onCheckNow: () => void
  readonly busy: boolean
  /** The headline is the Overview screen's h1: focus moves to it on navigation. */
  readonly headingRef?: (el: HTMLHeadingElement | null) => void
}) {
  const { model } = props
  const button = useRef<HTMLButtonElement | null>(null)
  // Only after a check the user started: a background check must not pull focus anywhere.
  useFocusRescue(button, props.busy)
  return (
    <section
      className={`verdict verdict-${model.tone}`}
      aria-live="polite"
      aria-busy={model.checking}
      data-testid="verdict"
      data-tone={model.tone}
      data-revision={props.revision ?? ''}
    >
      <div className="verdict-text">
        <h1 id="overview-title" tabIndex={-1} ref={props.headingRef}>
          {model.headline}
        </h1>
        <p>{model.detail}</p>
        {model.advice && <p className="advice">{model.advice}</p>}
        {model.checking && (
          <div className="progress" role="status">
            <progress
              max={model.progress?.total || undefined}
              value={model.progress?.done}
              aria-label="Check progress"
            />
            <span>{model.progress?.label ?? 'Working…'}</span>
          </div>
        )}
      </div>
      <button
        ref={button}
        type="button"
        className="primary"
        onClick={props.onCheckNow}
        disabled={props.busy || model.checking}
      >
        Check now
      </button>
    </section>
  )
}
