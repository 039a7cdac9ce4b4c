import type { AdvisoryStatusDto, TrustDto } from '../../../preload/contract/dto'
import { STATUS_WORDS, TRUST_WORDS } from '../../../preload/contract/words'

/** A trust badge: the word, a colour, and the explanation on hover and for screen readers. */
export function TrustBadge(props: { readonly trust: TrustDto }) {
  const w = TRUST_WORDS[props.trust]
  return (
    <span className={`badge tone-${w.tone}`} title={w.explain} data-trust={props.trust}>
      {w.label}
      <span className="visually-hidden">: {w.explain}</span>
    </span>
  )
}

/** What an advisory means for this computer. */
export function StatusBadge(props: { readonly status: AdvisoryStatusDto }) {
  const w = STATUS_WORDS[props.status]
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
        {(Object.keys(TRUST_WORDS) as TrustDto[]).map((t) => (
          <div key={t}>
            <dt>{TRUST_WORDS[t].label}</dt>
            <dd>{TRUST_WORDS[t].explain}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}
