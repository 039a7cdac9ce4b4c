import type { AdvisoryDto, TrustDto } from '../../../preload/contract/dto'
import type { AdvisoryFilter } from '../state/selectors'
import { TRUST_WORDS } from '../../../preload/contract/words'
import { StatusBadge, TrustBadge } from './badges'

/** The filters above the list: what to show, which trust, a search box. */
export function AdvisoryFilters(props: {
  readonly filter: AdvisoryFilter
  readonly onChange: (f: Partial<AdvisoryFilter>) => void
}) {
  const f = props.filter
  return (
    <div className="filters" role="group" aria-label="Filter advisories">
      <label>
        Show{' '}
        <select
          value={f.show}
          onChange={(e) => props.onChange({ show: e.target.value as AdvisoryFilter['show'] })}
        >
          <option value="affecting">What affects this computer</option>
          <option value="all">All advisories for this release</option>
        </select>
      </label>
      <label>
        Trust{' '}
        <select
          value={f.trust}
          onChange={(e) => props.onChange({ trust: e.target.value as TrustDto | 'any' })}
        >
          <option value="any">Any</option>
          {(Object.keys(TRUST_WORDS) as TrustDto[]).map((t) => (
            <option key={t} value={t}>
              {TRUST_WORDS[t].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Search{' '}
        <input
          type="search"
          value={f.query}
          placeholder="ID, CVE or package"
          onChange={(e) => props.onChange({ query: e.target.value })}
        />
      </label>
    </div>
  )
}

/** The advisories as a list of buttons (each opens its detail). */
export function AdvisoryList(props: {
  readonly advisories: readonly AdvisoryDto[]
  readonly total: number
  readonly onOpen: (id: string) => void
}) {
  if (props.advisories.length === 0) {
    return (
      <p className="empty" role="status">
        {props.total === 0
          ? 'No advisory for this release has been read yet.'
          : 'Nothing matches these filters. Choose "All advisories" to see the rest.'}
      </p>
    )
  }
  return (
    <ul className="advisory-list" aria-label={`${props.advisories.length} advisories`}>
      {props.advisories.map((a) => (
        <li key={a.id}>
          <button
            type="button"
            className="advisory-row"
            onClick={() => props.onOpen(a.id)}
            data-advisory={a.id}
          >
            <span className="advisory-head">
              <span className="advisory-id">{a.id}</span>
              <StatusBadge status={a.status} />
              <TrustBadge trust={a.trust} />
              {a.priority && <span className="muted small-inline">Priority: {a.priority}</span>}
            </span>
            <span className="advisory-title">{a.title}</span>
            <span className="muted small">
              {a.packages.map((p) => p.source).join(', ') || 'No package of this computer'}
            </span>
          </button>
        </li>
      ))}
    </ul>
  )
}
