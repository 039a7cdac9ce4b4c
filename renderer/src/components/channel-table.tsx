import type { ChannelStatusDto } from '../../../preload/contract/dto'
import { channelStateWords } from '../state/selectors'
import { RelativeTime } from './relative-time'
import { TechnicalDetail } from './technical-detail'

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

/** Advisory sources as cards: state in words, how many advisories, when last read; codes under "Technical detail". */
export function ChannelTable(props: {
  readonly channels: readonly ChannelStatusDto[]
  readonly now: number
}) {
  if (props.channels.length === 0) return <p className="muted">No advisory source is configured.</p>
  return (
    <section aria-labelledby="channels-title" className="channels">
      <h2 id="channels-title">
        Advisory sources <span className="muted small-inline">({props.channels.length})</span>
      </h2>
      <ul className="cards" aria-label="Advisory sources">
        {props.channels.map((c) => (
          <li key={c.id} className="card" data-state={c.status} data-channel={c.id}>
            <h3 className="mirror-name">{c.name}</h3>
            <span className="muted small">{TYPE_WORDS[c.type] ?? c.type}</span>
            <span className="muted small privacy-note" data-testid="channel-privacy">
              {c.privacyNote}
            </span>
            <span className="suite-head">
              <span className={`badge channel-${c.status}`}>{channelStateWords(c)}</span>
            </span>
            <span className="small">
              {c.verifiedAt ? (
                <>
                  {c.advisoryCount} advisor{c.advisoryCount === 1 ? 'y' : 'ies'}, last read{' '}
                  <RelativeTime iso={c.verifiedAt} now={props.now} />
                </>
              ) : (
                'Never read yet, so no advisory from it.'
              )}
            </span>
            <TechnicalDetail
              lines={[
                c.detail,
                `Source id: ${c.id}`,
                c.code && `Code: ${c.code}`,
                c.signedBy && `Signed by: ${c.signedBy}`,
                c.verifiedAt && `Last read: ${c.verifiedAt}`,
              ]}
            />
          </li>
        ))}
      </ul>
    </section>
  )
}
