import { useEffect, useRef, type RefObject } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { InspectResultDto, SignedBlockDto } from '../../../preload/contract/dto'
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
  // The Check button is disabled while checking; when the verdict arrives, focus goes to it, not to <body>.
  const verdictHeading = useRef<HTMLHeadingElement | null>(null)
  useFocusRescue(verdictHeading, s.running)
  useClipboardRequests(props.store, props.ui)
  const r = s.result
  return (
    <main aria-labelledby="inspect-title">
      <h1 id="inspect-title" tabIndex={-1} ref={props.headingRef}>
        Check instructions
      </h1>
      <p className="muted">
        Found a &quot;fix&quot; on a forum or in a chat? Paste it here before running anything. Lifeline never
        reads your clipboard unless you ask.
      </p>
      <InspectForm state={s} shell={props.shell} clipboardAllowed={props.clipboardAllowed} />
      {s.error && (
        <p className="error" role="alert">
          {s.error}
        </p>
      )}
      <div aria-live="polite" className="inspect-result">
        {r && <InspectVerdict result={r} headingRef={verdictHeading} />}
      </div>
      {r && r.text !== '' && <HighlightedText text={r.text} findings={r.findings} />}
    </main>
  )
}

/** The tray's "Check clipboard" arrives as a new request number: check the clipboard once for each. */
function useClipboardRequests(store: StoreApi<InspectStoreState>, ui: StoreApi<UiStoreState>): void {
  const clipboardRequest = useStore(ui, (u) => u.clipboardRequest)
  const seen = useRef(clipboardRequest)
  useEffect(() => {
    if (clipboardRequest !== seen.current) {
      seen.current = clipboardRequest
      void store.getState().checkClipboard(null)
    }
  }, [clipboardRequest, store])
}

/** The text box and its buttons: Check, Check clipboard (when allowed), Clear. */
function InspectForm(props: {
  readonly state: InspectStoreState
  readonly shell: 'electron' | 'browser'
  readonly clipboardAllowed: boolean
}) {
  const s = props.state
  const textArea = useRef<HTMLTextAreaElement | null>(null)
  // Electron reads the clipboard in main; browser mode reads it here, always on a user's click.
  const reader = props.shell === 'electron' ? null : readClipboardText
  return (
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
        {(s.text !== '' || s.result) && (
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
  )
}

const BLOCK_WORDS: Readonly<Record<SignedBlockDto['status'], string>> = {
  valid: 'signature valid',
  invalid: 'signature FAILED',
  'unknown-signer': 'signed by an unknown key',
  'not-checked': 'not checked',
}

/** The checker's verdict: headline, summary, and how many findings, commands and signed blocks. */
function InspectVerdict(props: {
  readonly result: InspectResultDto
  readonly headingRef: RefObject<HTMLHeadingElement | null>
}) {
  const r = props.result
  const words = InspectVerdictWords[r.verdict]
  return (
    <section
      className={`verdict verdict-${words.tone} compact`}
      data-testid="inspect-verdict"
      data-verdict={r.verdict}
      aria-labelledby="inspect-verdict-title"
    >
      <div className="verdict-text">
        <h2 id="inspect-verdict-title" tabIndex={-1} ref={props.headingRef}>
          {words.headline}
        </h2>
        <p>{r.summary}</p>
        <p className="muted small">
          {r.findings.length} finding{r.findings.length === 1 ? '' : 's'} in {r.commandCount} command
          {r.commandCount === 1 ? '' : 's'}
          {r.blocks.length > 0 &&
            `; ${r.blocks.length} signed block${r.blocks.length === 1 ? '' : 's'}: ${r.blocks
              .map((b) => BLOCK_WORDS[b.status])
              .join(', ')}`}
        </p>
      </div>
    </section>
  )
}
