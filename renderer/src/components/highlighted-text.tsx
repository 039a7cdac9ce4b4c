import type { InspectFindingDto } from '../../../preload/contract/dto'
import { highlightLine } from '../state/selectors'

/** The checked text, line by line, with each finding's span marked and its reason listed under the line. */
export function HighlightedText(props: {
  readonly text: string
  readonly findings: readonly InspectFindingDto[]
}) {
  const lines = props.text.split('\n')
  return (
    <ol className="checked-text" aria-label="The checked text with its findings">
      {lines.map((line, i) => {
        const n = i + 1
        const here = props.findings.filter((f) => f.line === n)
        return (
          <li key={n} className={here.length ? 'has-findings' : undefined}>
            <code className="line">
              {highlightLine(line.replace(/\r$/, ''), n, props.findings).map((s, j) =>
                s.finding ? (
                  <mark
                    key={j}
                    className={`sev-${s.finding.severity}`}
                    title={s.finding.message}
                    data-rule={s.finding.rule}
                  >
                    {s.text}
                  </mark>
                ) : (
                  <span key={j}>{s.text}</span>
                ),
              )}
              {line === '' && ' '}
            </code>
            {here.length > 0 && (
              <ul className="reasons">
                {here.map((f) => (
                  <li key={`${f.rule}-${f.start}-${f.end}`} className={`sev-${f.severity}`}>
                    <span className="sev-label">
                      {f.severity === 'high' ? 'Danger' : f.severity === 'medium' ? 'Caution' : 'Note'}
                    </span>{' '}
                    <strong>{f.title}:</strong> {f.message}
                  </li>
                ))}
              </ul>
            )}
          </li>
        )
      })}
    </ol>
  )
}
