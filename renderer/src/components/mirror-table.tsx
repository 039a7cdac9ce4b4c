import type { MirrorStatusDto } from '../../../preload/contract/dto'
import { MirrorStateMeaning, MirrorStateWords } from '../state/selectors'
import { formatDuration } from '../state/format'
import { RelativeTime } from './relative-time'

/** Mirrors × suites with their verified state, lag, last verified time and what a failure means. */
export function MirrorTable(props: {
  readonly mirrors: readonly MirrorStatusDto[]
  readonly now: number
  readonly detailed?: boolean
}) {
  if (props.mirrors.length === 0) return <p className="muted">No mirror has been checked yet.</p>
  return (
    <table className="data mirrors">
      <caption>Mirrors</caption>
      <thead>
        <tr>
          <th scope="col">Mirror</th>
          <th scope="col">Suite</th>
          <th scope="col">State</th>
          <th scope="col">Release date</th>
          {props.detailed && <th scope="col">Checked</th>}
        </tr>
      </thead>
      <tbody>
        {props.mirrors.map((m) => (
          <tr key={`${m.mirrorId}/${m.suite}`} data-state={m.state}>
            <td>
              <span className="mirror-name">{m.mirrorName}</span>
              <span className="muted small break">{m.url}</span>
            </td>
            <td>{m.suite}</td>
            <td>
              <span className={`badge state-${m.state}`} title={m.detail}>
                {MirrorStateWords[m.state] ?? m.state}
              </span>
              {m.lagMs !== null && (
                <span className="small">{formatDuration(m.lagMs)} behind the newest mirror</span>
              )}
              {props.detailed ? (
                <span className="small">{MirrorStateMeaning[m.state] ?? m.detail}</span>
              ) : (
                <span className="muted small">{m.detail}</span>
              )}
              {props.detailed && m.state !== 'ok' && <span className="muted small">{m.detail}</span>}
              {m.dataAgeMs !== null && (
                <span className="muted small">Last verified data is {formatDuration(m.dataAgeMs)} old.</span>
              )}
            </td>
            <td>{m.releaseDate ? <RelativeTime iso={m.releaseDate} now={props.now} /> : '—'}</td>
            {props.detailed && (
              <td>
                <RelativeTime iso={m.checkedAt} now={props.now} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
