/** Codes, addresses, ids and exact times for experts, folded away from the main text. */
export function TechnicalDetail(props: { readonly lines: readonly (string | null | false | undefined)[] }) {
  const lines = props.lines.filter((l): l is string => typeof l === 'string' && l !== '')
  if (lines.length === 0) return null
  return (
    <details className="technical">
      <summary>Technical detail</summary>
      <ul className="detail-lines">
        {lines.map((l) => (
          <li key={l}>
            <code className="detail">{l}</code>
          </li>
        ))}
      </ul>
    </details>
  )
}
