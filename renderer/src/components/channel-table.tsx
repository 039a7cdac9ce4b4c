import type { ChannelStatusDto } from '../../../preload/contract/dto'
import { ChannelStateWords } from '../state/selectors'
import { RelativeTime } from './relative-time'

const TYPE_WORDS: Readonly<Record<string, string>> = {
  osv: 'OSV advisories (unsigned, TLS)',
  'osv-api': 'OSV.dev query (unsigned, TLS; sends your package list)',
  'github-osv': 'Canonical OSV files on GitHub (unsigned, TLS)',
  'usn-api': 'ubuntu.com notices (unsigned, TLS)',
  'usn-db': 'Ubuntu notices database (unsigned, TLS)',
  'signed-feed': 'Signed feed (pinned key)',
  mbox: 'Signed announcement e-mails',
  news: 'News feed (never used as evidence)',
}

/** Advisory channels with their state and last successful read. */
export function ChannelTable(props: {
  readonly channels: readonly ChannelStatusDto[]
  readonly now: number
}) {
  if (props.channels.length === 0) return <p className="muted">No advisory source is configured.</p>
  return (
    <table className="data channels">
      <caption>Advisory sources</caption>
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">State</th>
          <th scope="col">Advisories</th>
          <th scope="col">Last read</th>
        </tr>
      </thead>
      <tbody>
        {props.channels.map((c) => (
          <tr key={c.channelId} data-state={c.state}>
            <td>
              <span className="mirror-name">{c.name}</span>
              <span className="muted small">{TYPE_WORDS[c.type] ?? c.type}</span>
              <span className="muted small privacy-note" data-testid="channel-privacy">
                {c.privacyNote}
              </span>
            </td>
            <td>
              <span className={`badge channel-${c.state}`} title={c.detail}>
                {ChannelStateWords[c.state] ?? c.state}
              </span>
              <span className="muted small">{c.detail}</span>
            </td>
            <td>{c.advisoryCount}</td>
            <td>{c.verifiedAt ? <RelativeTime iso={c.verifiedAt} now={props.now} /> : 'never'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
