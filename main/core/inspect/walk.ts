/**
 * Walks a tree-sitter-bash syntax tree and turns it into simple commands with their data flow.
 *
 * The walk follows what bash would run: pipelines (stdout of one stage is stdin of the next), `&&`/`||`/`;` lists,
 * subshells and groups, `$( )`/backtick and `<( )` substitutions (run before the command that uses them),
 * `sudo`/`env`/`nohup`/`exec`/`xargs`… wrappers, `sh -c`/`bash -c`/`su -c`/`eval` strings and here-docs fed to a
 * shell (parsed again, recursively), and variables assigned then used. Rules (rules.ts) see each command once, in
 * order, with what flows into it: downloaded bytes, decoded bytes, or known literal text.
 */
import type { Node, Tree } from 'web-tree-sitter'
import { isCoreError } from '../errors'
import type { ShellParser } from './shell-parser'

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

/** A simple command after unwrapping `sudo`/`env`/… (argv[0] is the real program). */
export interface SimpleCommand {
  readonly argv: readonly Word[]
  /** Program name without its directory (`/usr/bin/curl` → `curl`). */
  readonly program: string
  readonly root: boolean
  readonly env: ReadonlyMap<string, Word>
  readonly stdin: Flow
  readonly span: Span
  readonly redirects: readonly { readonly op: string; readonly target: Word }[]
  /** Words of the wrappers that were removed (`sudo`, `env`, …), for spans. */
  readonly wrappers: readonly string[]
  /** Nested in `sh -c`, a here-doc or decoded text: how deep. */
  readonly depth: number
}

/** Receives each command in execution order; returns what the command writes to stdout. */
export interface CommandSink {
  command(cmd: SimpleCommand, walker: Walker): Flow
  /** An `export NAME=value` or a plain assignment, for `LD_PRELOAD` and friends. */
  assignment(name: string, value: Word, exported: boolean): void
}

/** Maps a position in the parsed text to a position in the user's input. */
export type PositionMap = (row: number, col: number) => { line: number; col: number }

const NOTHING: Flow = { download: false, decoded: false }

/** Programs that copy stdin to stdout (maybe transformed), so taint passes through them. */
const PASSTHROUGH = new Set([
  'cat',
  'tee',
  'sed',
  'tr',
  'grep',
  'egrep',
  'head',
  'tail',
  'sort',
  'uniq',
  'awk',
  'gawk',
  'mawk',
  'cut',
  'rev',
  'gunzip',
  'zcat',
  'xz',
  'unxz',
  'gzip',
  'bzip2',
  'bunzip2',
  'zstd',
  'dd',
  'iconv',
  'dos2unix',
  'fold',
  'tac',
  'xargs',
  'stdbuf',
  'sponge',
  'column',
])

/** Maximum nesting of re-parsed strings (`sh -c "sh -c '…'"`), so a crafted paste cannot recurse forever. */
const MAX_DEPTH = 6

/** Merges two flows. */
export function mergeFlow(a: Flow, b: Flow): Flow {
  if (a === NOTHING) return b
  if (b === NOTHING) return a
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

/** A stand-in `sh` word at the position of `sudo -i`/`su`: the interactive shell they start, fed by stdin. */
function rootShell(
  at: Word | undefined,
  wrappers: readonly string[],
): { words: Word[]; root: boolean; wrappers: string[] } | undefined {
  return at
    ? { words: [{ ...at, text: 'sh', dynamic: false }], root: true, wrappers: [...wrappers] }
    : undefined
}

/** Base name of a path (`/usr/bin/sudo` → `sudo`). */
export function baseName(p: string): string {
  const i = p.lastIndexOf('/')
  return i >= 0 ? p.slice(i + 1) : p
}

/** Decodes the escapes of a bash `$'…'` string (bash(1), QUOTING). */
function ansiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16))
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8))
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e
  })
}

/** The walk over one input: variables and the commands seen so far are shared by every region. */
export class Walker {
  /** Variables assigned in the text: literal value (if shown) and what flows into them. */
  readonly vars = new Map<string, { readonly text: string; readonly flow: Flow; readonly dynamic: boolean }>()
  /** `sudo -i`, `sudo su`, `su -`: later commands run as root. */
  rootSession = false
  commandCount = 0
  /** Where a source was too long or too complex to parse (INSPECT_TOO_COMPLEX): nothing there was checked. */
  readonly unparsed: Span[] = []
  /** The lines of each source being walked (innermost last), to see what lies between two words. */
  private readonly sources: string[][] = []
  /** Functions and aliases defined in the text: what calling them writes to stdout. */
  private readonly defined = new Map<string, Flow>()
  /** File descriptors opened on `/dev/tcp` or `/dev/udp` (`exec 3<>/dev/tcp/host/80`): reading them downloads. */
  private readonly netFds = new Set<string>()

  /**
   * `rootLines` are input lines typed after a root prompt (`# `, `root@host:~# `): every command on them runs as
   * root, like one after `sudo`.
   */
  constructor(
    private readonly parser: ShellParser,
    private readonly sink: CommandSink,
    private readonly rootLines: ReadonlySet<number> = new Set(),
  ) {}

  /** Parses `source` and walks it. `map` turns its positions into input positions. */
  walkSource(source: string, map: PositionMap, depth: number, stdin: Flow = NOTHING, root = false): Flow {
    if (depth > MAX_DEPTH) return NOTHING
    let tree: Tree
    try {
      tree = this.parser.parse(source)
    } catch (e) {
      // Fail closed: text the parser gave up on is reported (inspect.ts makes it a high finding), never skipped.
      if (!isCoreError(e, 'INSPECT_TOO_COMPLEX')) throw e
      const at = map(0, 0)
      const nl = source.indexOf('\n')
      const firstLength = nl === -1 ? source.length : nl
      this.unparsed.push({ line: at.line, start: at.col, end: at.col + Math.min(firstLength, 200) })
      return NOTHING
    }
    this.sources.push(source.split('\n'))
    try {
      return this.statements(tree.rootNode, { map, depth, root, stdin })
    } finally {
      this.sources.pop()
      tree.delete()
    }
  }

  /**
   * Re-parses a string argument (`sh -c '…'`, `eval "…"`) with positions inside that string.
   *
   * Positions start from the word's own span, which is already in input coordinates: the node's row is relative to
   * the region it was parsed in, so mapping it again put findings of a command on a region's later line on its first.
   */
  walkWord(word: Word, depth: number, stdin: Flow, root: boolean): Flow {
    const n = word.node
    const quoted = n.type === 'raw_string' || n.type === 'string' || n.type === 'ansi_c_string'
    const open = n.type === 'ansi_c_string' ? 2 : quoted ? 1 : 0
    const base = { line: word.span.line, col: word.span.start + open }
    const inner: PositionMap = (row, col) =>
      row === 0 ? { line: base.line, col: base.col + col } : { line: base.line + row, col }
    return this.walkSource(word.text, inner, depth + 1, stdin, root)
  }

  /** Walks a here-doc body or decoded text fed to a shell: positions all point at `at`. */
  walkText(text: string, at: Span, depth: number, root: boolean): Flow {
    const pin: PositionMap = () => ({ line: at.line, col: at.start })
    return this.walkSource(text, pin, depth + 1, NOTHING, root)
  }

  private statements(node: Node, ctx: Ctx): Flow {
    let out: Flow = NOTHING
    for (const child of node.namedChildren) {
      if (child) out = mergeFlow(out, this.statement(child, ctx))
    }
    return out
  }

  private statement(node: Node, ctxIn: Ctx): Flow {
    let ctx = ctxIn
    // One command as a reader counts it: a top-level pipeline, list member, loop or assignment, not each stage.
    if (ctx.depth === 0 && !ctx.counted && COUNTED.has(node.type)) {
      this.commandCount++
      ctx = { ...ctx, counted: true }
    }
    switch (node.type) {
      case 'command':
        return this.command(node, ctx, [])
      case 'pipeline': {
        let flow = ctx.stdin
        let all: Flow = NOTHING
        let first = true
        for (const stage of node.namedChildren) {
          if (!stage) continue
          if (!first) flow = piped(flow, node, stage)
          first = false
          flow = this.statement(stage, { ...ctx, stdin: flow })
          all = flow
        }
        return all
      }
      case 'function_definition': {
        // The body is checked where it is written; calling the function later yields what the body printed.
        const name = node.childForFieldName('name')?.text ?? ''
        const body = node.childForFieldName('body')
        const out = body ? this.statement(body, ctx) : NOTHING
        if (name) this.defined.set(name, out)
        return NOTHING
      }
      case 'redirected_statement':
        return this.redirected(node, ctx)
      case 'variable_assignment':
        this.assign(node, ctx, false)
        return NOTHING
      case 'declaration_command': {
        const exported = (node.child(0)?.text ?? '') === 'export'
        for (const c of node.namedChildren)
          if (c?.type === 'variable_assignment') this.assign(c, ctx, exported)
        return NOTHING
      }
      case 'variable_assignments':
        for (const c of node.namedChildren) if (c?.type === 'variable_assignment') this.assign(c, ctx, false)
        return NOTHING
      case 'comment':
      case 'heredoc_body':
        return NOTHING
      case 'command_substitution':
        return this.statements(node, ctx)
      default:
        // list, subshell, compound_statement, if/while/for/case bodies, negated_command, function bodies, ERROR:
        // every statement inside runs (or may run), in order.
        return this.statements(node, ctx)
    }
  }

  private assign(node: Node, ctx: Ctx, exported: boolean): void {
    const name = node.childForFieldName('name')?.text ?? ''
    const valueNode = node.childForFieldName('value')
    if (!valueNode) {
      this.vars.set(name, { text: '', flow: NOTHING, dynamic: false })
      return
    }
    const w = this.word(valueNode, ctx)
    this.vars.set(name, { text: w.text, flow: w.flow, dynamic: w.dynamic })
    this.sink.assignment(name, w, exported)
  }

  private redirected(node: Node, ctx: Ctx): Flow {
    const body = node.childForFieldName('body')
    const redirects: { op: string; target: Word }[] = []
    let stdin = ctx.stdin
    let after: Node[] = []
    for (const r of node.childrenForFieldName('redirect')) {
      if (!r) continue
      if (r.type === 'heredoc_redirect') {
        const bodyNode = r.namedChildren.find((c) => c?.type === 'heredoc_body')
        const quotedDelim = /^['"]|\\/.test(
          r.namedChildren.find((c) => c?.type === 'heredoc_start')?.text ?? '',
        )
        const text = bodyNode ? (quotedDelim ? bodyNode.text : this.word(bodyNode, ctx).text) : ''
        const flow = bodyNode && !quotedDelim ? this.word(bodyNode, ctx).flow : NOTHING
        stdin = mergeFlow({ ...flow, text }, NOTHING)
        // `cat <<EOF | sudo tee f`: tree-sitter puts the rest of the pipeline inside the heredoc redirect.
        after = r.namedChildren.filter(
          (c): c is Node =>
            c !== null && c.type !== 'heredoc_body' && c.type !== 'heredoc_start' && c.type !== 'heredoc_end',
        )
      } else if (r.type === 'herestring_redirect') {
        const arg = r.namedChildren[0]
        if (arg) {
          const w = this.word(arg, ctx)
          stdin = { ...w.flow, text: w.text }
        }
      } else {
        const fr = this.fileRedirect(r, ctx, stdin)
        if (fr.redirect) redirects.push(fr.redirect)
        stdin = fr.stdin
      }
    }
    let out: Flow = NOTHING
    if (body) {
      out =
        body.type === 'command'
          ? this.command(body, { ...ctx, stdin }, redirects)
          : this.bodyWithRedirects(body, { ...ctx, stdin }, redirects)
    }
    for (const a of after) {
      const next =
        a.type === 'pipeline'
          ? this.pipelineTail(a, { ...ctx, stdin: out })
          : this.statement(a, { ...ctx, stdin: out })
      out = next
    }
    return out
  }

  /** A pipeline node that starts with `|` (the tail of `cat <<EOF | …`). */
  private pipelineTail(node: Node, ctx: Ctx): Flow {
    let flow = ctx.stdin
    for (const stage of node.namedChildren) {
      if (!stage) continue
      flow = this.statement(stage, { ...ctx, stdin: piped(flow, node, stage) })
    }
    return flow
  }

  /** `( … ) > file` or `{ …; } >> file`: the group's output goes to the redirect targets. */
  private bodyWithRedirects(body: Node, ctx: Ctx, redirects: { op: string; target: Word }[]): Flow {
    const out = this.statement(body, ctx)
    if (redirects.length === 0) return out
    // Report the writes through a synthetic `cat` of the group's output, so rules see one write per target.
    const span = this.span(body, ctx)
    this.sink.command(
      {
        argv: [{ text: ':', span, dynamic: false, flow: NOTHING, processSubst: false, node: body }],
        program: ':',
        root: ctx.root || this.rootSession,
        env: new Map(),
        stdin: out,
        span,
        redirects,
        wrappers: [],
        depth: ctx.depth,
      },
      this,
    )
    return NOTHING
  }

  private command(node: Node, ctx: Ctx, outerRedirects: { op: string; target: Word }[]): Flow {
    const env = new Map<string, Word>()
    const argv: Word[] = []
    const redirects = [...outerRedirects]
    let stdin = ctx.stdin
    for (const c of node.namedChildren) {
      if (!c) continue
      if (c.type === 'variable_assignment') {
        const name = c.childForFieldName('name')?.text ?? ''
        const v = c.childForFieldName('value')
        env.set(name, v ? this.word(v, ctx) : this.emptyWord(c, ctx))
      } else if (c.type === 'command_name') {
        const inner = c.namedChildren[0]
        if (inner) argv.push(this.word(inner, ctx))
      } else if (c.type === 'herestring_redirect') {
        const arg = c.namedChildren[0]
        if (arg) {
          const w = this.word(arg, ctx)
          stdin = { ...w.flow, text: w.text }
        }
      } else if (c.type === 'file_redirect') {
        const r = this.fileRedirect(c, ctx, stdin)
        if (r.redirect) redirects.push(r.redirect)
        stdin = r.stdin
      } else if (c.type !== 'comment') {
        argv.push(this.word(c, ctx))
      }
    }
    if (argv.length === 0) {
      for (const [name, w] of env) {
        this.vars.set(name, { text: w.text, flow: w.flow, dynamic: w.dynamic })
        this.sink.assignment(name, w, false)
      }
      // `exec 3<>/dev/tcp/…` and the like: the redirects still matter.
      if (redirects.length > 0) this.sink.command(this.synthetic(node, ctx, stdin, redirects), this)
      return NOTHING
    }
    joinContinuations(argv, this.sources[this.sources.length - 1] ?? [])
    // A function or alias defined in this text, called directly: it prints what its body printed.
    const called = argv[0] && argv[0].node.type === 'word' ? this.defined.get(argv[0].text) : undefined
    if (called) return called
    // `alias fix='curl …'`: the alias text is a command line of its own; calling it yields its output.
    if (argv[0]?.text === 'alias') {
      for (const a of argv.slice(1)) {
        const eq = a.text.indexOf('=')
        if (eq <= 0) continue
        const out = this.walkText(a.text.slice(eq + 1), a.span, ctx.depth, false)
        this.defined.set(a.text.slice(0, eq), out)
      }
      return NOTHING
    }
    const onRootLine = this.rootLines.has(this.span(node, ctx).line)
    const unwrapped = this.unwrap(expandBraces(argv), onRootLine ? { ...ctx, root: true } : ctx, env)
    if (!unwrapped) {
      // `exec 3<>/dev/tcp/…`: a wrapper with nothing to run still applies its redirects.
      if (redirects.length > 0) this.sink.command(this.synthetic(node, ctx, stdin, redirects), this)
      return NOTHING
    }
    const { words, root, wrappers } = unwrapped
    const first = words[0]
    if (!first) return NOTHING
    return this.sink.command(
      {
        argv: words,
        program: baseName(first.text),
        root,
        env,
        stdin,
        span: this.span(node, ctx),
        redirects,
        wrappers,
        depth: ctx.depth,
      },
      this,
    )
  }

  /**
   * One `file_redirect`: the write or read it makes, and the command's stdin after it.
   *
   * `< file` feeds the file (downloaded or not, rules decide); `< <(curl …)` feeds the substitution's output;
   * `N<>/dev/tcp/host/port` opens a raw connection (bash(1), REDIRECTION) that `<&N` later reads.
   */
  private fileRedirect(
    r: Node,
    ctx: Ctx,
    stdin: Flow,
  ): { redirect?: { op: string; target: Word } | undefined; stdin: Flow } {
    const dest = r.childForFieldName('destination') ?? r.namedChildren[r.namedChildren.length - 1]
    const op = r.children.find((c) => c !== null && !c.isNamed)?.text ?? '>'
    if (!dest || dest.type === 'file_descriptor') return { stdin }
    if (dest.type === 'number') {
      return { stdin: op.startsWith('<') && this.netFds.has(dest.text) ? NETWORK : stdin }
    }
    const target = this.word(dest, ctx)
    const fd = r.namedChildren.find((c) => c?.type === 'file_descriptor')?.text
    if (/^\/dev\/(tcp|udp)\//.test(target.text)) {
      if (fd !== undefined) this.netFds.add(fd)
      return { redirect: { op, target }, stdin: op.startsWith('<') ? NETWORK : stdin }
    }
    if (op === '<' && target.processSubst) return { redirect: { op, target }, stdin: { ...target.flow } }
    if (op === '<' && (fd === undefined || fd === '0'))
      return {
        redirect: { op, target },
        stdin: { download: false, decoded: false, from: target.text, file: target.text },
      }
    return { redirect: { op, target }, stdin }
  }

  /** A stand-in `:` command that carries only redirects (`exec 3<>/dev/tcp/…`, `> file` alone). */
  private synthetic(
    node: Node,
    ctx: Ctx,
    stdin: Flow,
    redirects: { op: string; target: Word }[],
  ): SimpleCommand {
    const span = this.span(node, ctx)
    return {
      argv: [{ text: ':', span, dynamic: false, flow: NOTHING, processSubst: false, node }],
      program: ':',
      root: ctx.root || this.rootSession,
      env: new Map(),
      stdin,
      span,
      redirects,
      wrappers: [],
      depth: ctx.depth,
    }
  }

  /** Removes wrappers that run their arguments as a command; notes root and environment. */
  private unwrap(
    argv: Word[],
    ctx: Ctx,
    env: Map<string, Word>,
  ): { words: Word[]; root: boolean; wrappers: string[] } | undefined {
    let words = argv
    let root = ctx.root || this.rootSession
    const wrappers: string[] = []
    for (let guard = 0; guard < 10; guard++) {
      const name = baseName(words[0]?.text ?? '')
      let i = 1
      const opt = (withArg: readonly string[]): void => {
        while (i < words.length) {
          const t = words[i]?.text ?? ''
          if (t === '--') {
            i++
            break
          }
          if (!t.startsWith('-') || t === '-') break
          i += withArg.includes(t) ? 2 : 1
        }
      }
      if (name === 'sudo' || name === 'doas' || name === 'run0' || name === 'pkexec') {
        root = true
        opt([
          '-u',
          '-g',
          '-p',
          '-C',
          '-D',
          '-r',
          '-t',
          '-U',
          '-h',
          '-T',
          '--user',
          '--group',
          '--prompt',
          '--chdir',
        ])
        const flags = words.slice(1, i).map((w) => w.text)
        // sudo(8): `sudo VAR=value command` sets VAR in the command's environment, like env(1).
        while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]?.text ?? '')) {
          const w = words[i]
          if (w)
            env.set(w.text.slice(0, w.text.indexOf('=')), {
              ...w,
              text: w.text.slice(w.text.indexOf('=') + 1),
            })
          i++
        }
        if (i >= words.length) {
          if (!flags.some((f) => /^-[a-zA-Z]*[is]|^--(login|shell)$/.test(f))) return undefined
          this.rootSession = true
          // `… | sudo -i`, `sudo -s < <(curl …)`: the root shell reads its commands from stdin.
          return rootShell(words[0], [...wrappers, name])
        }
      } else if (name === 'su') {
        root = true
        const c = words.findIndex((w, k) => k > 0 && (w.text === '-c' || w.text === '--command'))
        const code = c > 0 ? words[c + 1] : undefined
        if (code) {
          this.walkWord(code, ctx.depth, ctx.stdin, true)
          return undefined
        }
        this.rootSession = true
        // `… | su`, `… | sudo su -`: without -c, su starts a shell that reads its commands from stdin.
        return rootShell(words[0], [...wrappers, name])
      } else if (name === 'env') {
        while (i < words.length) {
          const t = words[i]?.text ?? ''
          const w = words[i]
          if (t === '-u' || t === '-C' || t === '-S') i += 2
          else if (t.startsWith('-')) i++
          else if (w && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
            const eq = t.indexOf('=')
            env.set(t.slice(0, eq), { ...w, text: t.slice(eq + 1) })
            i++
          } else break
        }
      } else if (
        [
          'nohup',
          'exec',
          'builtin',
          'setsid',
          'unbuffer',
          'torsocks',
          'proxychains',
          'proxychains4',
          'catchsegv',
          'time',
        ].includes(name)
      ) {
        opt(['-a'])
      } else if (name === 'command') {
        if ((words[1]?.text ?? '').startsWith('-v') || (words[1]?.text ?? '') === '-V')
          return { words, root, wrappers }
        opt([])
      } else if (name === 'nice' || name === 'ionice' || name === 'chrt' || name === 'taskset') {
        opt(['-n', '-c', '-p'])
        if (name !== 'nice' && /^\d/.test(words[i]?.text ?? '')) i++
      } else if (name === 'timeout') {
        opt(['-s', '-k', '--signal', '--kill-after'])
        i++ // the duration
      } else if (name === 'stdbuf' || name === 'strace' || name === 'watch' || name === 'flock') {
        opt(['-o', '-e', '-i', '-n', '-w', '-E'])
        if (name === 'flock') i++
      } else if (name === 'chroot') {
        opt([])
        i++
      } else if (name === 'xargs') {
        opt(['-I', '-i', '-n', '-P', '-d', '-L', '-a', '-E', '-s', '--max-args', '--delimiter', '--arg-file'])
      } else if (name === 'busybox') {
        // busybox's next word is the applet.
      } else {
        return { words, root, wrappers }
      }
      wrappers.push(name)
      words = words.slice(i)
      if (words.length === 0) return undefined
    }
    return { words, root, wrappers }
  }

  /** Span of a node in input coordinates (end clipped to its first line). */
  span(node: Node, ctx: Ctx): Span {
    const s = ctx.map(node.startPosition.row, node.startPosition.column)
    if (node.endPosition.row === node.startPosition.row) {
      const e = ctx.map(node.endPosition.row, node.endPosition.column)
      return { line: s.line, start: s.col, end: Math.max(e.col, s.col) }
    }
    const firstLine = node.text.split('\n')[0] ?? ''
    return { line: s.line, start: s.col, end: s.col + firstLine.length }
  }

  private emptyWord(node: Node, ctx: Ctx): Word {
    return { text: '', span: this.span(node, ctx), dynamic: false, flow: NOTHING, processSubst: false, node }
  }

  /** Best-effort static value of a word: quotes removed, known variables substituted, substitutions walked. */
  word(node: Node, ctx: Ctx): Word {
    const acc = { dynamic: false, flow: NOTHING as Flow }
    const text = this.value(node, ctx, acc)
    return {
      text,
      span: this.span(node, ctx),
      dynamic: acc.dynamic,
      flow: acc.flow,
      processSubst: node.type === 'process_substitution',
      node,
    }
  }

  private value(node: Node, ctx: Ctx, acc: { dynamic: boolean; flow: Flow }): string {
    switch (node.type) {
      case 'word':
      case 'number':
        // bash(1), QUOTING: a backslash-newline is removed entirely (`ba\<newline>sh` is `bash`).
        return node.text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1')
      case 'raw_string':
        return node.text.slice(1, -1)
      case 'ansi_c_string': {
        const s = ansiC(node.text.slice(2, -1))
        if (/\\x|\\[0-7]/.test(node.text)) acc.flow = mergeFlow(acc.flow, { download: false, decoded: true })
        return s
      }
      case 'string_content':
        return node.text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1')
      case 'string':
      case 'concatenation':
      case 'heredoc_body': {
        let out = ''
        let last = node.startIndex + (node.type === 'string' ? 1 : 0)
        for (const c of node.namedChildren) {
          if (!c) continue
          if (node.type !== 'concatenation' && c.startIndex > last)
            out += node.text.slice(last - node.startIndex, c.startIndex - node.startIndex)
          out += this.value(c, ctx, acc)
          last = c.endIndex
        }
        const tailEnd = node.endIndex - (node.type === 'string' ? 1 : 0)
        if (node.type !== 'concatenation' && tailEnd > last)
          out += node.text.slice(last - node.startIndex, tailEnd - node.startIndex)
        return node.type === 'heredoc_body' || node.type === 'string' ? out : out
      }
      case 'simple_expansion':
      case 'expansion': {
        const name = node.namedChildren.find((c) => c?.type === 'variable_name')?.text ?? ''
        const v = this.vars.get(name)
        if (v && node.type === 'simple_expansion') {
          acc.flow = mergeFlow(acc.flow, v.flow)
          if (v.dynamic) acc.dynamic = true
          return v.text
        }
        if (v) acc.flow = mergeFlow(acc.flow, v.flow)
        acc.dynamic = true
        return node.text
      }
      case 'command_substitution': {
        const out = this.statements(node, { ...ctx, stdin: NOTHING })
        acc.flow = mergeFlow(acc.flow, { download: out.download, decoded: out.decoded, urls: out.urls })
        acc.dynamic = true
        return out.text ?? node.text
      }
      case 'process_substitution': {
        const out = this.statements(node, { ...ctx, stdin: NOTHING })
        acc.flow = mergeFlow(acc.flow, {
          download: out.download,
          decoded: out.decoded,
          text: out.text,
          urls: out.urls,
        })
        return node.text
      }
      default:
        for (const c of node.namedChildren) if (c) this.value(c, ctx, acc)
        return node.text
    }
  }
}

/** The walk's context: position map, nesting depth, root, and stdin of the current statement. */
export interface Ctx {
  readonly map: PositionMap
  readonly depth: number
  readonly root: boolean
  readonly stdin: Flow
  /** This statement is inside one already counted as a command. */
  readonly counted?: boolean | undefined
}

/** Statement nodes that count as one command for the report's `commandCount`. */
const COUNTED = new Set([
  'command',
  'pipeline',
  'redirected_statement',
  'subshell',
  'compound_statement',
  'if_statement',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'case_statement',
  'function_definition',
  'declaration_command',
  'variable_assignment',
  'variable_assignments',
  'negated_command',
  'test_command',
])

/** What a raw `/dev/tcp` connection yields: bytes from the network, like a download. */
const NETWORK: Flow = { download: true, decoded: false, urls: [], from: '/dev/tcp' }

/**
 * The stdin of a pipeline stage after the first: the previous stage's output. A stage that says nothing about
 * its output still wrote *something* the text does not show, named after its program for messages.
 */
function piped(prev: Flow, pipeline: Node, stage: Node): Flow {
  if (prev !== NOTHING) return prev
  let from = ''
  for (const s of pipeline.namedChildren) {
    if (!s || s.startIndex >= stage.startIndex) break
    from = /^\s*(?:sudo\s+)?([^\s|;&<>()]+)/.exec(s.text)?.[1] ?? ''
  }
  return { download: false, decoded: false, from: from ? baseName(from) : 'another program' }
}

/**
 * Joins words split by a backslash-newline in the middle (`ba\` + newline + `sh`): bash removes the pair before it
 * splits words (bash(1), QUOTING), so they are one word, `bash`. tree-sitter treats the pair as a line
 * continuation between two words.
 */
function joinContinuations(argv: Word[], lines: readonly string[]): void {
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
 * Brace expansion of a command word (bash(1), Brace Expansion): `{curl,-s,https://x}` runs `curl -s https://x`.
 * Only the first word is expanded, the form used to hide a command's name.
 */
function expandBraces(argv: Word[]): Word[] {
  const first = argv[0]
  if (!first) return argv
  // An unquoted variable holding a whole command line is split into words (bash(1), Word Splitting).
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

/** A flow that carries nothing. */
export const NO_FLOW: Flow = NOTHING

/** True for programs that pass stdin through to stdout. */
export function isPassthrough(program: string): boolean {
  return PASSTHROUGH.has(program)
}
