/**
 * Finding a key written twice in one JSON object.
 *
 * `JSON.parse` keeps the last of two equal keys without a word (ECMA-404 leaves duplicates to the reader), so a
 * policy that says `"allowClipboardCheck": false` and, further down, `"allowClipboardCheck": true` would silently
 * mean the second. RFC 8259 4: names "SHOULD be unique"; Lifeline refuses a configuration file that breaks that.
 */
/**
 * The path (`['mirrors', 0, 'url']`) of the first key that appears twice in the same object, or undefined.
 *
 * `text` must already be valid JSON (call after `JSON.parse` succeeded): this scanner does not validate, it only
 * tracks strings, nesting and keys. Keys are compared after unescaping, as `JSON.parse` compares them.
 */
export function findDuplicateKey(text: string): readonly PropertyKey[] | undefined {
  type Frame =
    | { readonly kind: 'object'; readonly keys: Set<string>; key: string | undefined }
    | { readonly kind: 'array'; index: number }
  const stack: Frame[] = []
  const path = (): PropertyKey[] =>
    stack.flatMap((f): PropertyKey[] =>
      f.kind === 'object' ? (f.key === undefined ? [] : [f.key]) : [f.index],
    )
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '"') {
      const end = stringEnd(text, i)
      const top = stack[stack.length - 1]
      // A string is a key when it is followed by ':' in an object.
      let j = end
      while (j < text.length && isSpace(text.charCodeAt(j))) j++
      if (top?.kind === 'object' && text[j] === ':') {
        const key = JSON.parse(text.slice(i, end)) as string
        if (top.keys.has(key)) {
          top.key = key
          return path()
        }
        top.keys.add(key)
        top.key = key
      }
      i = end
      continue
    }
    if (c === '{') stack.push({ kind: 'object', keys: new Set(), key: undefined })
    else if (c === '[') stack.push({ kind: 'array', index: 0 })
    else if (c === '}' || c === ']') stack.pop()
    else if (c === ',') {
      const top = stack[stack.length - 1]
      if (top?.kind === 'array') top.index++
    }
    i++
  }
  return undefined
}

/** Index just past the closing quote of the JSON string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i += 2
    else if (c === 0x22) return i + 1
    else i++
  }
  return i
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}
