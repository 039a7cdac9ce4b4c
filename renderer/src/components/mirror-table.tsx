import type { MirrorStatusDto } from '../../../preload/contract/dto'
import { MirrorStateWords } from '../state/selectors'
import { RelativeTime } from './relative-time'

/** Mirrors × suites with their verified state. */
export function MirrorTable(props: { readonly mirrors: readonly MirrorStatusDto[]; readonly now: number }) {
  if (props.mirrors.length === 0) return <p className="muted">No mirror has been checked yet.</p>
  return (
    <table className="mirrors">
      <caption>Mirrors</caption>
      <thead>
        <tr>
          <th scope="col">Mirror</th>
          <th scope="col">Suite</th>
          <th scope="col">State</th>
          <th scope="col">Release date</th>
        </tr>
      </thead>
      <tbody>
        {props.mirrors.map((m) => (
          <tr key={`${m.mirrorId}/${m.suite}`} data-state={m.state}>
            <td>
              <span className="mirror-name">{m.mirrorName}</span>
              <span className="muted small">{m.url}</span>
            </td>
            <td>{m.suite}</td>
            <td>
              <span className={`badge state-${m.state}`} title={m.detail}>
                {MirrorStateWords[m.state] ?? m.state}
              </span>
              <span className="muted small">{m.detail}</span>
            </td>
            <td>{m.releaseDate ? <RelativeTime iso={m.releaseDate} now={props.now} /> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
