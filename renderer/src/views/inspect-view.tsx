import { useEffect, useRef } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { readClipboardText } from '../clipboard'
import { HighlightedText } from '../components/highlighted-text'
import type { InspectStoreState } from '../state/inspect-store'
import { InspectVerdictWords } from '../state/selectors'
import { useFocusRescue } from '../use-focus-rescue'
import type { UiStoreState } from '../state/ui-store'

/** The Check instructions screen: paste, check, see the verdict and every risky span with its reason. */
export function InspectView(props: {
  readonly store: StoreApi<InspectStoreState>
  readonly ui: StoreApi<UiStoreState>
  readonly shell: 'electron' | 'browser'
  readonly clipboardAllowed: boolean
  readonly headingRef: (el: HTMLHeadingElement | null) => void
}) {
  const s = useStore(props.store)
  const clipboardRequest = useStore(props.ui, (u) => u.clipboardRequest)
  const seen = useRef(clipboardRequest)
  const textArea = useRef<HTMLTextAreaElement | null>(null)
  // The Check button is disabled while checking; when the verdict arrives, focus goes to it, not to <body>.
  const verdictHeading = useRef<HTMLHeadingElement | null>(null)
  useFocusRescue(verdictHeading, s.running)
  // Electron reads the clipboard in main; browser mode reads it here, always on a user's click.
  const reader = props.shell === 'electron' ? null : readClipboardText
  useEffect(() => {
    if (clipboardRequest !== seen.current) {
      seen.current = clipboardRequest
      void props.store.getState().checkClipboard(null)
    }
  }, [clipboardRequest, props.store])
  const r = s.result
  const words = r ? InspectVerdictWords[r.verdict] : null
  return (
    <main aria-labelledby="inspect-title">
      <h1 id="inspect-title" tabIndex={-1} ref={props.headingRef}>
        Check instructions
      </h1>
      <p className="muted">
        Found a &quot;fix&quot; on a forum or in a chat? Paste it here before running anything. Lifeline never
        reads your clipboard unless you ask.
      </p>
      <form
        className="inspect-form"
        onSubmit={(e) => {
          e.preventDefault()
          void s.check()
        }}
      >
        <label htmlFor="inspect-text">Text to check</label>
        <textarea
          id="inspect-text"
          ref={textArea}
          rows={8}
          spellCheck={false}
          value={s.text}
          onChange={(e) => s.setText(e.target.value)}
          placeholder="curl https://example.com/fix.sh | sudo bash"
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={s.running || s.text.trim() === ''}>
            {s.running ? 'Checking…' : 'Check'}
          </button>
          {props.clipboardAllowed && (
            <button type="button" disabled={s.running} onClick={() => void s.checkClipboard(reader)}>
              Check clipboard
            </button>
          )}
          {(s.text !== '' || r) && (
            <button
              type="button"
              onClick={() => {
                s.clear()
                // The Clear button disappears with the text: put focus back where the next text goes.
                textArea.current?.focus()
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>
      {s.error && (
        <p className="error" role="alert">
          {s.error}
        </p>
      )}
      <div aria-live="polite" className="inspect-result">
        {r && words && (
          <section
            className={`verdict verdict-${words.tone} compact`}
            data-testid="inspect-verdict"
            data-verdict={r.verdict}
            aria-labelledby="inspect-verdict-title"
          >
            <div className="verdict-text">
              <h2 id="inspect-verdict-title" tabIndex={-1} ref={verdictHeading}>
                {words.headline}
              </h2>
              <p>{r.summary}</p>
              <p className="muted small">
                {r.findings.length} finding{r.findings.length === 1 ? '' : 's'} in {r.commandCount} command
                {r.commandCount === 1 ? '' : 's'}
                {r.blocks.length > 0 &&
                  `; ${r.blocks.length} signed block${r.blocks.length === 1 ? '' : 's'}: ${r.blocks
                    .map((b) =>
                      b.status === 'valid'
                        ? 'signature valid'
                        : b.status === 'invalid'
                          ? 'signature FAILED'
                          : b.status === 'unknown-signer'
                            ? 'signed by an unknown key'
                            : 'not checked',
                    )
                    .join(', ')}`}
              </p>
            </div>
          </section>
        )}
      </div>
      {r && r.text !== '' && <HighlightedText text={r.text} findings={r.findings} />}
    </main>
  )
}
