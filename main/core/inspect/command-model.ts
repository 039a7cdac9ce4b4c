/**
 * What the shell walk (walk.ts) hands the rules (rules/): positions, the data that flows into a command, its words
 * as bash would see them, and the simple command itself once its wrappers are removed.
 */
import type { Node } from 'web-tree-sitter'

/** Where a span is: 0-based line and UTF-16 columns on that line. */
export interface Span {
  readonly line: number
  readonly start: number
  readonly end: number
}

/** What a stream or a word carries. `text` is its literal content when the text shows it. */
export interface Flow {
  readonly download: boolean
  readonly decoded: boolean
  readonly text?: string | undefined
  /** The URLs a download came from, for messages. */
  readonly urls?: readonly string[] | undefined
  /** The program (or file) the bytes come from when the text does not show them, for messages. */
  readonly from?: string | undefined
  /** The bytes are this file's content (`bash < file`), so rules can tell whether the text downloaded it. */
  readonly file?: string | undefined
}

/** One argument as bash would see it after quote removal, as far as the text shows. */
export interface Word {
  readonly text: string
  readonly span: Span
  /** Contains an expansion whose value the text does not show. */
  readonly dynamic: boolean
  /** What its substitutions or variables carry. */
  readonly flow: Flow
  /** The node is a `<( )` process substitution (a file name standing for a command's output). */
  readonly processSubst: boolean
  /** The node itself (strings are re-parsed for `sh -c`). */
  readonly node: Node
}

/** A write to a file by redirect, tee, cp/mv/install, `sed -i`, `curl -o`, `gpg -o`… */
export interface FileWrite {
  readonly path: string
  readonly word: Word
  readonly flow: Flow
  /** `copy` means the content comes from another file the text does not show. */
  readonly how: 'redirect' | 'tee' | 'copy' | 'edit' | 'download' | 'key-export'
}

/** A redirect of a command: its operator (`>`, `>>`, `<`, `<&`…) and its target. */
export interface Redirect {
  readonly op: string
  readonly target: Word
}

/** A simple command after unwrapping `sudo`/`env`/… (argv[0] is the real program). */
export interface SimpleCommand {
  readonly argv: readonly Word[]
  /** Program name without its directory (`/usr/bin/curl` → `curl`). */
  readonly program: string
  readonly root: boolean
  readonly env: ReadonlyMap<string, Word>
  readonly stdin: Flow
  readonly span: Span
  readonly redirects: readonly Redirect[]
  /** Words of the wrappers that were removed (`sudo`, `env`, …), for spans. */
  readonly wrappers: readonly string[]
  /** Nested in `sh -c`, a here-doc or decoded text: how deep. */
  readonly depth: number
}

/** A flow that carries nothing. */
export const NO_FLOW: Flow = { download: false, decoded: false }

/** What a raw `/dev/tcp` connection yields: bytes from the network, like a download. */
export const NETWORK_FLOW: Flow = { download: true, decoded: false, urls: [], from: '/dev/tcp' }

/** Merges two flows. */
export function mergeFlow(a: Flow, b: Flow): Flow {
  if (a === NO_FLOW) return b
  if (b === NO_FLOW) return a
  const text = a.text !== undefined && b.text !== undefined ? a.text + '\n' + b.text : (a.text ?? b.text)
  return {
    download: a.download || b.download,
    decoded: a.decoded || b.decoded,
    text,
    urls: [...(a.urls ?? []), ...(b.urls ?? [])],
    from: a.from ?? b.from,
    file: a.file ?? b.file,
  }
}

/** Base name of a path (`/usr/bin/sudo` → `sudo`). */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/')
  return i >= 0 ? path.slice(i + 1) : path
}
