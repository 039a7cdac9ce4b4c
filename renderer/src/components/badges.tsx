import type { AdvisoryStatusDto, TrustDto } from '../../../preload/contract/dto'
import { StatusWords, TrustWords } from '../state/selectors'

/** A trust badge: the word, a colour, and the explanation on hover and for screen readers. */
export function TrustBadge(props: { readonly trust: TrustDto }) {
  const w = TrustWords[props.trust]
  return (
    <span className={`badge tone-${w.tone}`} title={w.explain} data-trust={props.trust}>
      {w.label}
      <span className="visually-hidden">: {w.explain}</span>
    </span>
  )
}

/** What an advisory means for this computer. */
export function StatusBadge(props: { readonly status: AdvisoryStatusDto }) {
  const w = StatusWords[props.status]
  return (
    <span className={`badge solid tone-${w.tone}`} title={w.explain} data-status={props.status}>
      {w.label}
    </span>
  )
}

/** The legend of the trust badges (keyboard users cannot hover). */
export function TrustLegend() {
  return (
    <details className="legend">
      <summary>What do the trust badges mean?</summary>
      <dl>
        {(Object.keys(TrustWords) as TrustDto[]).map((t) => (
          <div key={t}>
            <dt>{TrustWords[t].label}</dt>
            <dd>{TrustWords[t].explain}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}
