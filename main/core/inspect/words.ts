/**
 * Word forms bash rewrites before it runs a command, and tree-sitter leaves as written: `$'…'` escapes, a
 * backslash-newline inside a word, brace expansion of the command name, and a variable holding a whole command line.
 * The walk (walk.ts) applies them so the rules see the words bash would run.
 */
import type { Word } from './command-model'
import { mergeFlow } from './command-model'

/** Decodes the escapes of a bash `$'…'` string (bash(1), QUOTING). */
export function decodeAnsiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16))
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8))
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e
  })
}

/**
 * Joins words split by a backslash-newline in the middle (`ba\` + newline + `sh`): bash removes the pair before it
 * splits words (bash(1), QUOTING), so they are one word, `bash`. tree-sitter treats the pair as a line
 * continuation between two words.
 */
export function joinContinuations(argv: Word[], lines: readonly string[]): void {
  for (let k = argv.length - 1; k > 0; k--) {
    const a = argv[k - 1]
    const b = argv[k]
    if (!a || !b) continue
    const end = a.node.endPosition
    const line = lines[end.row] ?? ''
    if (
      b.node.startPosition.row === end.row + 1 &&
      b.node.startPosition.column === 0 &&
      line.length === end.column + 1 &&
      line.endsWith('\\')
    ) {
      argv.splice(k - 1, 2, {
        ...a,
        text: a.text + b.text,
        dynamic: a.dynamic || b.dynamic,
        flow: mergeFlow(a.flow, b.flow),
      })
    }
  }
}

/**
 * The command word as bash expands it: an unquoted variable holding a whole command line is split into words
 * (bash(1), Word Splitting), and a brace-expanded name runs its parts (bash(1), Brace Expansion:
 * `{curl,-s,https://x}` runs `curl -s https://x`). Only the first word is expanded, the form used to hide a
 * command's name.
 */
export function expandCommandWord(argv: Word[]): Word[] {
  const first = argv[0]
  if (!first) return argv
  if (
    (first.node.type === 'simple_expansion' || first.node.type === 'expansion') &&
    /\s/.test(first.text.trim())
  )
    return [
      ...first.text
        .trim()
        .split(/\s+/)
        .map((t) => ({ ...first, text: t })),
      ...argv.slice(1),
    ]
  // tree-sitter may leave the opening brace to an ERROR node, so it is optional here.
  const m = first.node.type !== 'raw_string' ? /^\{?([^{}\s]*,[^{}\s]*)\}$/.exec(first.node.text) : null
  if (!m) return argv
  const words = (m[1] ?? '')
    .split(',')
    .map((t) => ({ ...first, text: t.replace(/\\(.)/g, '$1').replace(/['"]/g, '') }))
  return [...words, ...argv.slice(1)]
}
