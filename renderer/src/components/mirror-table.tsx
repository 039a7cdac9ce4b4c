import type { MirrorStatusDto } from '../../../preload/contract/dto'
import { groupMirrors, MirrorStateMeaning, MirrorStateWords } from '../state/selectors'
import { RelativeTime } from './relative-time'
import { TechnicalDetail } from './technical-detail'

/**
 * The mirrors as cards, one per mirror with its suites beneath: state in words, lag, age of the data kept, and what a
 * failure means. Codes, URLs and exact times go under "Technical detail". Cards reflow to any width.
 */
export function MirrorTable(props: {
  readonly mirrors: readonly MirrorStatusDto[]
  readonly now: number
  readonly detailed?: boolean
}) {
  if (props.mirrors.length === 0) return <p className="muted">No mirror has been checked yet.</p>
  const groups = groupMirrors(props.mirrors)
  return (
    <section aria-labelledby="mirrors-title" className="mirrors">
      <h2 id="mirrors-title">
        Mirrors <span className="muted small-inline">({groups.length})</span>
      </h2>
      <ul className="cards" aria-label="Mirrors">
        {groups.map((g) => (
          <li key={g.mirrorId} className="card" data-mirror={g.mirrorId}>
            <h3 className="mirror-name">{g.mirrorName}</h3>
            <ul className="suites" aria-label={`Suites of ${g.mirrorName}`}>
              {g.suites.map((m) => (
                <li key={m.suite} data-state={m.status} data-suite={m.suite}>
                  <span className="suite-head">
                    <span className="suite-name">{m.suite}</span>{' '}
                    <span className={`badge state-${m.status}`}>
                      {MirrorStateWords[m.status] ?? m.status}
                    </span>
                  </span>
                  {m.lagWords !== null && (
                    <span className="small">{m.lagWords} behind the newest mirror.</span>
                  )}
                  {props.detailed && MirrorStateMeaning[m.status] && (
                    <span className="small">{MirrorStateMeaning[m.status]}</span>
                  )}
                  {m.dataAgeWords !== null && (
                    <span className="muted small">Last verified data is {m.dataAgeWords} old.</span>
                  )}
                  <span className="muted small">
                    {m.releaseDate ? (
                      <>
                        Signed release from <RelativeTime iso={m.releaseDate} now={props.now} />
                      </>
                    ) : m.dataAgeWords === null ? (
                      'Nothing verified from it yet'
                    ) : (
                      'Nothing new verified this time'
                    )}
                    {props.detailed && (
                      <>
                        {' '}
                        · checked <RelativeTime iso={m.checkedAt} now={props.now} />
                      </>
                    )}
                  </span>
                  <TechnicalDetail
                    lines={[
                      m.detail,
                      `Address: ${m.url}`,
                      m.code && `Code: ${m.code}`,
                      m.releaseDate && `Release date: ${m.releaseDate}`,
                      m.validUntil && `Valid until: ${m.validUntil}`,
                      m.signedBy && `Signed by: ${m.signedBy}`,
                      `Checked: ${m.checkedAt}`,
                    ]}
                  />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  )
}
