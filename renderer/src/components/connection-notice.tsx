import type { ConnectionState } from '../state/connection-store'
import { assertNever } from '../state/assert-never'

const RESTART = (
  <>
    Start Lifeline again: <code>npm start</code> in its folder, or <code>lifeline serve --open</code>. It
    opens a new window with a fresh link.
  </>
)

/**
 * What the window shows instead of Lifeline's answers when it cannot reach them: no key, a refused key, a lost
 * connection or a stopped server. Nothing from before is shown, so no old colour or answer looks current.
 */
export function ConnectionNotice(props: {
  readonly state: Exclude<ConnectionState, { kind: 'connected' } | { kind: 'connecting' }>
  readonly onRetry: () => void
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const s = props.state
  const title = (text: string) => (
    <h1 id="connection-title" tabIndex={-1} ref={props.headingRef}>
      {text}
    </h1>
  )
  switch (s.kind) {
    case 'no-token':
    case 'refused':
      return (
        <main className="connection" aria-labelledby="connection-title" data-connection={s.kind}>
          {title('Open Lifeline from its link')}
          <p>
            {s.kind === 'no-token'
              ? 'This address alone does not open Lifeline: it needs the link Lifeline gives when it starts.'
              : s.why === 'code-used'
                ? 'This link was already used once. Each link Lifeline opens a window with works only once.'
                : s.why === 'code-expired'
                  ? 'This link has expired: it works only in the first minute after Lifeline makes it.'
                  : 'Lifeline no longer accepts this window: it was restarted since the window opened, and each run has a new key.'}
          </p>
          <p>
            The key in the link keeps other programs on this computer from using Lifeline, so it cannot be
            skipped.
          </p>
          <h2>What to do</h2>
          <ul>
            <li>
              If Lifeline runs with <code>npm start</code> or <code>lifeline serve --open</code>: close this
              window and start it again; it opens its own window.
            </li>
            <li>
              If it runs with <code>lifeline serve</code>: open the link it printed in the terminal (it ends
              in <code>#token=…</code>).
            </li>
          </ul>
        </main>
      )
    case 'lost':
      return (
        <main className="connection" aria-labelledby="connection-title" data-connection="lost">
          {title('Lost connection to Lifeline — reconnecting')}
          <p role="status">
            Lifeline stopped answering. This window shows nothing from before, so that no old answer looks
            current. It reconnects by itself as soon as Lifeline answers again.
          </p>
          <p>
            <button type="button" className="primary" onClick={props.onRetry}>
              Try now
            </button>
          </p>
          <p className="muted">If you stopped Lifeline on purpose: {RESTART}</p>
        </main>
      )
    case 'stopped':
      return (
        <main className="connection" aria-labelledby="connection-title" data-connection="stopped">
          {title('Lifeline has stopped')}
          <p>Lifeline was stopped, so this window has nothing current to show. You can close it.</p>
          <p>{RESTART}</p>
        </main>
      )
    default:
      return assertNever(s)
  }
}
