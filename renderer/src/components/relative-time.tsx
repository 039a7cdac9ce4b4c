import { relativeTime } from '../state/selectors'

/** A timestamp shown relatively, with the exact time on hover. */
export function RelativeTime(props: { readonly iso: string; readonly now: number }) {
  return (
    <time dateTime={props.iso} title={new Date(props.iso).toLocaleString()}>
      {relativeTime(props.iso, props.now)}
    </time>
  )
}
