import type { StepDto } from '../../../preload/contract/dto'
import { CopyButton } from './copy-button'

/** Numbered steps; each exact command has a copy button, each file its content. */
export function StepList(props: {
  readonly steps: readonly StepDto[]
  readonly onCopy: (text: string) => Promise<boolean>
  readonly label: string
}) {
  if (props.steps.length === 0) return null
  return (
    <ol className="steps" aria-label={props.label}>
      {props.steps.map((s) => (
        <li key={s.number} className={`step step-${s.kind}`}>
          <p>{s.text}</p>
          {s.command && (
            <div className="command">
              <code data-testid="step-command">{s.command}</code>
              <CopyButton
                text={s.command}
                label={`Copy the command of step ${s.number}`}
                onCopy={props.onCopy}
              />
            </div>
          )}
          {s.file && (
            <div className="command file">
              <span className="muted small">File {s.file.path}</span>
              <pre>
                <code>{s.file.content}</code>
              </pre>
              <CopyButton
                text={s.file.content}
                label={`Copy the file content of step ${s.number}`}
                onCopy={props.onCopy}
              />
            </div>
          )}
        </li>
      ))}
    </ol>
  )
}
