/**
 * Walks a tree-sitter-bash syntax tree and turns it into simple commands with their data flow.
 *
 * The walk follows what bash would run: pipelines (stdout of one stage is stdin of the next), `&&`/`||`/`;` lists,
 * subshells and groups, `$( )`/backtick and `<( )` substitutions (run before the command that uses them),
 * `sudo`/`env`/`nohup`/`exec`/`xargs`… wrappers (wrappers.ts), `sh -c`/`bash -c`/`su -c`/`eval` strings and here-docs fed to a
 * shell (parsed again, recursively), and variables assigned then used. Rules (rules/rule-set.ts) see each command once, in
 * order, with what flows into it: downloaded bytes, decoded bytes, or known literal text.
 */
import type { Node, Tree } from 'web-tree-sitter'
import { isCoreError } from '../errors'
import type { Flow, Redirect, SimpleCommand, Span, Word } from './command-model'
import { baseName, mergeFlow, NETWORK_FLOW, NO_FLOW } from './command-model'
import type { ShellParser } from './shell-parser'
import { decodeAnsiC, expandCommandWord, joinContinuations } from './words'
import { unwrapCommand } from './wrappers'

/** Receives each command in execution order; returns what the command writes to stdout. */
export interface CommandSink {
  command(cmd: SimpleCommand, walker: Walker): Flow
  /** An `export NAME=value` or a plain assignment, for `LD_PRELOAD` and friends. */
  assignment(name: string, value: Word, exported: boolean): void
}

/** Maps a position in the parsed text to a position in the user's input. */
export type PositionMap = (row: number, col: number) => { line: number; col: number }

/** Maximum nesting of re-parsed strings (`sh -c "sh -c '…'"`), so a crafted paste cannot recurse forever. */
const MAX_DEPTH = 6

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
  walkSource(source: string, map: PositionMap, depth: number, stdin: Flow = NO_FLOW, root = false): Flow {
    if (depth > MAX_DEPTH) return NO_FLOW
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
      return NO_FLOW
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
    return this.walkSource(text, pin, depth + 1, NO_FLOW, root)
  }

  private statements(node: Node, ctx: WalkContext): Flow {
    let out: Flow = NO_FLOW
    for (const child of node.namedChildren) {
      if (child) out = mergeFlow(out, this.statement(child, ctx))
    }
    return out
  }

  private statement(node: Node, ctxIn: WalkContext): Flow {
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
        let all: Flow = NO_FLOW
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
        const out = body ? this.statement(body, ctx) : NO_FLOW
        if (name) this.defined.set(name, out)
        return NO_FLOW
      }
      case 'redirected_statement':
        return this.redirected(node, ctx)
      case 'variable_assignment':
        this.assign(node, ctx, false)
        return NO_FLOW
      case 'declaration_command': {
        const exported = (node.child(0)?.text ?? '') === 'export'
        for (const c of node.namedChildren)
          if (c?.type === 'variable_assignment') this.assign(c, ctx, exported)
        return NO_FLOW
      }
      case 'variable_assignments':
        for (const c of node.namedChildren) if (c?.type === 'variable_assignment') this.assign(c, ctx, false)
        return NO_FLOW
      case 'comment':
      case 'heredoc_body':
        return NO_FLOW
      case 'command_substitution':
        return this.statements(node, ctx)
      default:
        // list, subshell, compound_statement, if/while/for/case bodies, negated_command, function bodies, ERROR:
        // every statement inside runs (or may run), in order.
        return this.statements(node, ctx)
    }
  }

  private assign(node: Node, ctx: WalkContext, exported: boolean): void {
    const name = node.childForFieldName('name')?.text ?? ''
    const valueNode = node.childForFieldName('value')
    if (!valueNode) {
      this.vars.set(name, { text: '', flow: NO_FLOW, dynamic: false })
      return
    }
    const w = this.word(valueNode, ctx)
    this.vars.set(name, { text: w.text, flow: w.flow, dynamic: w.dynamic })
    this.sink.assignment(name, w, exported)
  }

  private redirected(node: Node, ctx: WalkContext): Flow {
    const body = node.childForFieldName('body')
    const redirects: Redirect[] = []
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
        const flow = bodyNode && !quotedDelim ? this.word(bodyNode, ctx).flow : NO_FLOW
        stdin = mergeFlow({ ...flow, text }, NO_FLOW)
        // `cat <<EOF | sudo tee f`: tree-sitter puts the rest of the pipeline inside the heredoc redirect.
        after = r.namedChildren.filter(
          (c): c is Node =>
            c !== null && c.type !== 'heredoc_body' && c.type !== 'heredoc_start' && c.type !== 'heredoc_end',
        )
      } else if (r.type === 'herestring_redirect') {
        stdin = this.hereString(r, ctx) ?? stdin
      } else {
        const fr = this.fileRedirect(r, ctx, stdin)
        if (fr.redirect) redirects.push(fr.redirect)
        stdin = fr.stdin
      }
    }
    let out: Flow = NO_FLOW
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
  private pipelineTail(node: Node, ctx: WalkContext): Flow {
    let flow = ctx.stdin
    for (const stage of node.namedChildren) {
      if (!stage) continue
      flow = this.statement(stage, { ...ctx, stdin: piped(flow, node, stage) })
    }
    return flow
  }

  /** `( … ) > file` or `{ …; } >> file`: the group's output goes to the redirect targets. */
  private bodyWithRedirects(body: Node, ctx: WalkContext, redirects: Redirect[]): Flow {
    const out = this.statement(body, ctx)
    if (redirects.length === 0) return out
    // Report the writes through a synthetic `:` command of the group's output, so rules see one write per target.
    this.sink.command(this.synthetic(body, ctx, out, redirects), this)
    return NO_FLOW
  }

  private command(node: Node, ctx: WalkContext, outerRedirects: readonly Redirect[]): Flow {
    const { env, argv, redirects, stdin } = this.commandParts(node, ctx, outerRedirects)
    if (argv.length === 0) {
      for (const [name, w] of env) {
        this.vars.set(name, { text: w.text, flow: w.flow, dynamic: w.dynamic })
        this.sink.assignment(name, w, false)
      }
      // `exec 3<>/dev/tcp/…` and the like: the redirects still matter.
      if (redirects.length > 0) this.sink.command(this.synthetic(node, ctx, stdin, redirects), this)
      return NO_FLOW
    }
    joinContinuations(argv, this.sources[this.sources.length - 1] ?? [])
    // A function or alias defined in this text, called directly: it prints what its body printed.
    const called = argv[0] && argv[0].node.type === 'word' ? this.defined.get(argv[0].text) : undefined
    if (called) return called
    if (argv[0]?.text === 'alias') {
      this.defineAliases(argv.slice(1), ctx)
      return NO_FLOW
    }
    const onRootLine = this.rootLines.has(this.span(node, ctx).line)
    const unwrapped = unwrapCommand(expandCommandWord(argv), onRootLine || ctx.root || this.rootSession, env)
    if (unwrapped.kind === 'su-command') this.walkWord(unwrapped.code, ctx.depth, ctx.stdin, true)
    if (unwrapped.kind === 'root-shell') this.rootSession = true
    if (unwrapped.kind === 'run' || unwrapped.kind === 'root-shell') {
      // Fields are copied by name: spreading the union here cost about 15% of a whole check
      // (bench/lib/inspect-sample.ts).
      const root = unwrapped.kind === 'root-shell' || unwrapped.root
      const { words, wrappers } = unwrapped
      return this.runCommand(node, ctx, { words, root, wrappers, env, stdin, redirects })
    }
    // `exec 3<>/dev/tcp/…`: a wrapper with nothing to run still applies its redirects.
    if (redirects.length > 0) this.sink.command(this.synthetic(node, ctx, stdin, redirects), this)
    return NO_FLOW
  }

  /** The words, environment, redirects and stdin of a `command` node, in the order bash applies them. */
  private commandParts(
    node: Node,
    ctx: WalkContext,
    outerRedirects: readonly Redirect[],
  ): { env: Map<string, Word>; argv: Word[]; redirects: Redirect[]; stdin: Flow } {
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
        stdin = this.hereString(c, ctx) ?? stdin
      } else if (c.type === 'file_redirect') {
        const r = this.fileRedirect(c, ctx, stdin)
        if (r.redirect) redirects.push(r.redirect)
        stdin = r.stdin
      } else if (c.type !== 'comment') {
        argv.push(this.word(c, ctx))
      }
    }
    return { env, argv, redirects, stdin }
  }

  /** `<<< word`: the command's stdin is the word's text. */
  private hereString(redirect: Node, ctx: WalkContext): Flow | undefined {
    const arg = redirect.namedChildren[0]
    if (!arg) return undefined
    const w = this.word(arg, ctx)
    return { ...w.flow, text: w.text }
  }

  /** `alias fix='curl …'`: the alias text is a command line of its own; calling it yields its output. */
  private defineAliases(args: readonly Word[], ctx: WalkContext): void {
    for (const a of args) {
      const eq = a.text.indexOf('=')
      if (eq <= 0) continue
      const out = this.walkText(a.text.slice(eq + 1), a.span, ctx.depth, false)
      this.defined.set(a.text.slice(0, eq), out)
    }
  }

  /** Hands the unwrapped command to the rules; returns what it writes to stdout. */
  private runCommand(
    node: Node,
    ctx: WalkContext,
    run: {
      readonly words: readonly Word[]
      readonly root: boolean
      readonly wrappers: readonly string[]
      readonly env: ReadonlyMap<string, Word>
      readonly stdin: Flow
      readonly redirects: readonly Redirect[]
    },
  ): Flow {
    const first = run.words[0]
    if (!first) return NO_FLOW
    return this.sink.command(
      {
        argv: run.words,
        program: baseName(first.text),
        root: run.root,
        env: run.env,
        stdin: run.stdin,
        span: this.span(node, ctx),
        redirects: run.redirects,
        wrappers: run.wrappers,
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
    ctx: WalkContext,
    stdin: Flow,
  ): { redirect?: Redirect | undefined; stdin: Flow } {
    const dest = r.childForFieldName('destination') ?? r.namedChildren[r.namedChildren.length - 1]
    const op = r.children.find((c) => c !== null && !c.isNamed)?.text ?? '>'
    if (!dest || dest.type === 'file_descriptor') return { stdin }
    if (dest.type === 'number') {
      return { stdin: op.startsWith('<') && this.netFds.has(dest.text) ? NETWORK_FLOW : stdin }
    }
    const target = this.word(dest, ctx)
    const fd = r.namedChildren.find((c) => c?.type === 'file_descriptor')?.text
    if (/^\/dev\/(tcp|udp)\//.test(target.text)) {
      if (fd !== undefined) this.netFds.add(fd)
      return { redirect: { op, target }, stdin: op.startsWith('<') ? NETWORK_FLOW : stdin }
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
  private synthetic(node: Node, ctx: WalkContext, stdin: Flow, redirects: Redirect[]): SimpleCommand {
    const span = this.span(node, ctx)
    return {
      argv: [{ text: ':', span, dynamic: false, flow: NO_FLOW, processSubst: false, node }],
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

  /** Span of a node in input coordinates (end clipped to its first line). */
  span(node: Node, ctx: WalkContext): Span {
    const s = ctx.map(node.startPosition.row, node.startPosition.column)
    if (node.endPosition.row === node.startPosition.row) {
      const e = ctx.map(node.endPosition.row, node.endPosition.column)
      return { line: s.line, start: s.col, end: Math.max(e.col, s.col) }
    }
    const firstLine = node.text.split('\n')[0] ?? ''
    return { line: s.line, start: s.col, end: s.col + firstLine.length }
  }

  private emptyWord(node: Node, ctx: WalkContext): Word {
    return { text: '', span: this.span(node, ctx), dynamic: false, flow: NO_FLOW, processSubst: false, node }
  }

  /** Best-effort static value of a word: quotes removed, known variables substituted, substitutions walked. */
  word(node: Node, ctx: WalkContext): Word {
    const acc = { dynamic: false, flow: NO_FLOW as Flow }
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

  private value(node: Node, ctx: WalkContext, acc: { dynamic: boolean; flow: Flow }): string {
    switch (node.type) {
      case 'word':
      case 'number':
        // bash(1), QUOTING: a backslash-newline is removed entirely (`ba\<newline>sh` is `bash`).
        return node.text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1')
      case 'raw_string':
        return node.text.slice(1, -1)
      case 'ansi_c_string': {
        const s = decodeAnsiC(node.text.slice(2, -1))
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
        const out = this.statements(node, { ...ctx, stdin: NO_FLOW })
        acc.flow = mergeFlow(acc.flow, { download: out.download, decoded: out.decoded, urls: out.urls })
        acc.dynamic = true
        return out.text ?? node.text
      }
      case 'process_substitution': {
        const out = this.statements(node, { ...ctx, stdin: NO_FLOW })
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
export interface WalkContext {
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

/**
 * The stdin of a pipeline stage after the first: the previous stage's output. A stage that says nothing about
 * its output still wrote *something* the text does not show, named after its program for messages.
 */
function piped(prev: Flow, pipeline: Node, stage: Node): Flow {
  if (prev !== NO_FLOW) return prev
  let from = ''
  for (const s of pipeline.namedChildren) {
    if (!s || s.startIndex >= stage.startIndex) break
    from = /^\s*(?:sudo\s+)?([^\s|;&<>()]+)/.exec(s.text)?.[1] ?? ''
  }
  return { download: false, decoded: false, from: from ? baseName(from) : 'another program' }
}
