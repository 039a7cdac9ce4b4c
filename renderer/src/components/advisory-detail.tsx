import { useEffect, useRef } from 'react'
import type { AdvisoryDto, OpenAdvisoryDto } from '../../../preload/contract/dto'
import { STATUS_WORDS } from '../../../preload/contract/words'
import { StatusBadge, TrustBadge } from './badges'
import { RelativeTime } from './relative-time'
import { StepList } from './step-list'

/** What the advisory page is given: the advisory, the check's state, its link, and what its buttons do. */
export interface AdvisoryDetailProps {
  readonly advisory: AdvisoryDto
  readonly now: number
  readonly checking: boolean
  readonly link: OpenAdvisoryDto | null
  readonly linkError: string | null
  readonly onBack: () => void
  readonly onCheckAgain: () => void
  readonly onOpenLink: () => void
  readonly onCopy: (text: string) => Promise<boolean>
  readonly headingRef: (el: HTMLHeadingElement | null) => void
  /** A source's name and whether it is signed, for its id (the disagreement lists name sources, not internal ids). */
  readonly channelName: (id: string) => string
  /** One sentence on whether a site answered at the last check. */
  readonly siteNote: (host: string) => string
}

/** One advisory: what it means here, the steps, the packages and the evidence chain in plain words. */
export function AdvisoryDetail(props: AdvisoryDetailProps) {
  const a = props.advisory
  return (
    <article className="advisory-detail" aria-labelledby="advisory-title">
      <button type="button" className="link-button" onClick={props.onBack}>
        ← All advisories
      </button>
      <h1 id="advisory-title" tabIndex={-1} ref={props.headingRef}>
        {a.id}: {a.title}
      </h1>
      <p className="badges">
        <StatusBadge status={a.status} /> <TrustBadge trust={a.trust} />
        {a.priority && <span className="muted small-inline"> Priority: {a.priority}</span>}
      </p>
      <p>{STATUS_WORDS[a.status].explain}</p>
      {a.cves.length > 0 && <p className="muted">Fixes {a.cves.join(', ')}</p>}
      <DisagreementNotice advisory={a} channelName={props.channelName} />

      {a.steps.length > 0 && (
        <section aria-labelledby="steps-title">
          <h2 id="steps-title">What to do</h2>
          <StepList steps={a.steps} onCopy={props.onCopy} label={`Steps for ${a.id}`} />
        </section>
      )}
      {a.mitigations.length > 0 && (
        <section aria-labelledby="mitigations-title">
          <h2 id="mitigations-title">Meanwhile</h2>
          <ul>
            {a.mitigations.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      )}

      <PackageTable advisory={a} />

      <EvidenceChain evidence={a.evidence} now={props.now} />

      <AdvisoryActions {...props} />
    </article>
  )
}

/** The loud notice when advisory sources give different fixed versions: every claim, by source. */
function DisagreementNotice(props: {
  readonly advisory: AdvisoryDto
  readonly channelName: (id: string) => string
}) {
  const a = props.advisory
  if (a.disagreements.length === 0) return null
  return (
    <section className="disagreement" role="alert" aria-labelledby="disagreement-title">
      <h2 id="disagreement-title">Sources disagree about this fix</h2>
      <p>
        Not every source gives the same fixed version. One of them may be out of date, or fake.
        {a.trust === 'signed'
          ? ' Lifeline follows the signed copy; the other claims are shown so you can see them.'
          : ' Lifeline cannot tell which is right: check with your helpdesk before acting.'}
      </p>
      <ul>
        {a.disagreements.map((d) => (
          <li key={d.package}>
            <strong>{d.package}</strong>:{' '}
            {d.claims.map((c, i) => (
              <span key={c.fixedVersion}>
                {i > 0 && ' vs '}
                <code>{c.fixedVersion}</code> according to {c.channels.map(props.channelName).join(' and ')}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The installed packages the advisory names, with the fixed version (or "disputed") and their status. */
function PackageTable(props: { readonly advisory: AdvisoryDto }) {
  const a = props.advisory
  if (a.packages.length === 0) return null
  return (
    <section aria-labelledby="packages-title">
      <h2 id="packages-title">Packages on this computer</h2>
      <table className="data stack">
        <thead>
          <tr>
            <th scope="col">Package</th>
            <th scope="col">Installed</th>
            <th scope="col">Fixed in</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {a.packages.flatMap((p) =>
            (p.installed.length > 0 ? p.installed : [{ package: p.source, arch: '', version: '—' }]).map(
              (i) => (
                <tr key={`${p.source}/${i.package}/${i.arch}`}>
                  <td data-label="Package">{i.package}</td>
                  <td data-label="Installed">
                    <code>{i.version}</code>
                  </td>
                  <td data-label="Fixed in">
                    {/* A version the sources dispute is not a "Fixed in" (every claim is listed above). */}
                    {a.disagreements.some((d) => d.package === p.source) ? (
                      'disputed'
                    ) : (
                      <code>{p.fixedVersion ?? 'not yet'}</code>
                    )}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={p.status} />
                  </td>
                </tr>
              ),
            ),
          )}
        </tbody>
      </table>
    </section>
  )
}

/** The evidence chain in plain words, each fact with when it was verified and its technical detail. */
function EvidenceChain(props: { readonly evidence: AdvisoryDto['evidence']; readonly now: number }) {
  return (
    <section aria-labelledby="evidence-title" className="evidence">
      <h2 id="evidence-title">Why Lifeline believes this</h2>
      <ol className="evidence-list">
        {props.evidence.map((e, i) => (
          <li key={`${e.kind}-${i}`} data-evidence={e.kind}>
            <span>{e.text}</span>
            {e.at && (
              <span className="muted small">
                Verified <RelativeTime iso={e.at} now={props.now} />
              </span>
            )}
            {e.detail && (
              <details>
                <summary>Technical detail</summary>
                <code className="detail">{e.detail}</code>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}

/** "Check again", the link to the full advisory (fetched from main on request), and whether its site answered. */
function AdvisoryActions(props: AdvisoryDetailProps) {
  // The button is replaced by the link it fetched: move focus there, or it would fall to <body>.
  const linkRef = useRef<HTMLAnchorElement | null>(null)
  const showLink = props.link !== null && !props.link.opened
  useEffect(() => {
    if (showLink) linkRef.current?.focus()
  }, [showLink])
  const linkHost = props.link ? new URL(props.link.url).host : null
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={props.onCheckAgain} disabled={props.checking}>
        {props.checking ? 'Checking…' : 'Check again'}
      </button>
      {props.link && !props.link.opened ? (
        <a
          href={props.link.url}
          target="_blank"
          rel="noopener noreferrer"
          ref={linkRef}
          aria-describedby="site-note"
        >
          Read the full advisory on {linkHost} (opens a new window)
        </a>
      ) : (
        <button type="button" onClick={props.onOpenLink}>
          {props.link?.opened ? 'Opened in your browser' : 'Read the full advisory'}
        </button>
      )}
      {linkHost && (
        <span id="site-note" className="muted small" data-testid="site-note">
          {props.siteNote(linkHost)}
        </span>
      )}
      {props.linkError && (
        <span className="error" role="alert">
          {props.linkError}
        </span>
      )}
    </div>
  )
}
