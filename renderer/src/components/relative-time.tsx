import { relativeTime } from '../state/selectors'

/** A timestamp shown relatively, with the exact time on hover (and to screen readers through `dateTime`). */
export function RelativeTime(props: { readonly iso: string; readonly now: number }) {
  const exact = new Date(props.iso).toLocaleString()
  return (
    <time dateTime={props.iso} title={exact}>
      {relativeTime(props.iso, props.now)}
    </time>
  )
}
