import { useEffect, useState } from 'react'

/** Copies an exact text; says "Copied" (politely announced) for two seconds. */
export function CopyButton(props: {
  readonly text: string
  readonly label: string
  readonly onCopy: (text: string) => Promise<boolean>
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const t = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(t)
  }, [state])
  return (
    <button
      type="button"
      className="copy"
      aria-label={props.label}
      onClick={() => void props.onCopy(props.text).then((ok) => setState(ok ? 'copied' : 'failed'))}
    >
      <span aria-hidden="true">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </button>
  )
}
