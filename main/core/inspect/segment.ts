/**
 * Splits pasted text into prose, shell commands, other code and clearsigned armor.
 *
 * The stance is "when in doubt, it is a command": a line counts as shell when bash would run it if pasted into a
 * terminal, whatever surrounds it — a code fence with any language tag, an HTML `<pre>`, a list marker, a `$ `/`# `
 * prompt, a label (`Fix: …`) or an imperative prose prefix (`Then run …`). Comments are read the way bash reads
 * them (a `#` that starts a word ends the line), so an apostrophe in a trailing comment cannot turn a command into
 * prose. Everything that is not command text is masked with spaces, so the shell parser sees each command at its
 * original line and column.
 */
import type { LineParts } from './shell-line'
import {
  COMMAND_WORDS,
  commentStart,
  endsWithContinuation,
  heredocTerminator,
  IMPERATIVE,
  LABEL,
  linePartsOf,
  looksLikeCommand,
  PROMPT,
  quotesBalance,
  sentenceEnd,
  strongShell,
} from './shell-line'
import type { LineKind } from './types'

/** Fence info strings that mean "shell": every line is a command. Other fences are judged line by line. */
const SHELL_LANGS = new Set([
  'sh',
  'bash',
  'shell',
  'console',
  'terminal',
  'zsh',
  'shellsession',
  'shell-session',
  'sh-session',
  'command',
  'cmd',
])

/** One piece of text for the shell parser: `text` keeps the original columns; `line` is its 0-based first line. */
export interface ShellRegion {
  readonly line: number
  readonly text: string
}

/** A clearsigned block: 0-based inclusive line range, the exact block text, and where its signed content is. */
export interface SignedBlockRange {
  readonly startLine: number
  readonly endLine: number
  readonly text: string
  readonly contentStart: number
  readonly contentEnd: number
}

/** The segmenter's output. `commandSpans[i]` are [start, end) columns of command text on line i. */
export interface Segments {
  readonly lines: readonly string[]
  readonly lineOffsets: readonly number[]
  readonly lineKinds: LineKind[]
  readonly commandSpans: Array<Array<readonly [number, number]>>
  readonly regions: readonly ShellRegion[]
  readonly signed: readonly SignedBlockRange[]
  /** Lines typed after a root prompt (`# `, `root@host:~# `): bash runs them as root. */
  readonly rootLines: ReadonlySet<number>
}

const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----'
const BEGIN_SIG = '-----BEGIN PGP SIGNATURE-----'
const END_SIG = '-----END PGP SIGNATURE-----'

/** HTML that wraps code in a pasted web page: the tags are masked, the text between them is read. */
const HTML_TAG = /<\/?(?:pre|code|kbd|samp|tt|br|p|div|span)\b[^<>]{0,200}>/gi

/** A code fence opening: its marker (```` ``` ```` or `~~~`) and info string, after any blockquote marks. */
const FENCE = /^\s*(?:>\s?)*(`{3,}|~{3,})\s*([^\s`]*)/

/** The code fence being read: its marker, language tag, and whether its lines carry prompts. */
interface Fence {
  readonly marker: string
  readonly lang: string
  readonly prompted: boolean
}

/**
 * Whether a command line's quotes balance, and if not, whether a later line closes them (bash reads on) or none
 * does (the line is parsed on its own so it cannot swallow the lines below).
 */
type QuoteState = 'balanced' | 'closes-below' | 'left-open'

/** The clearsigned blocks of a paste, their armor lines, and the dash-escaped lines inside them. */
interface SignedArmor {
  readonly blocks: readonly SignedBlockRange[]
  readonly armorLines: ReadonlySet<number>
  /** Content lines with `- ` in front (RFC 9580 section 7.2): those two columns are not the signed text's. */
  readonly dashEscaped: ReadonlySet<number>
}

/** Splits `text` into lines, regions for the shell parser, and clearsigned blocks. */
export function segment(text: string): Segments {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  const armor = findSignedBlocks(lines)
  const reader = new CommandReader(lines, armor)
  for (let i = 0; i < lines.length; i++) reader.readLine(i)
  return {
    lines,
    lineOffsets: lineOffsetsOf(text),
    lineKinds: reader.lineKinds,
    commandSpans: reader.commandSpans,
    regions: regionsOf(reader),
    signed: armor.blocks,
    rootLines: reader.rootLines,
  }
}

/** Where each line starts in `text` (UTF-16 units; a `\r` before the `\n` counts in its line). */
function lineOffsetsOf(text: string): number[] {
  const offsets: number[] = []
  let off = 0
  for (const l of text.split('\n')) {
    offsets.push(off)
    off += l.length + 1
  }
  return offsets
}

/**
 * Pass 1: clearsigned armor. Content lines stay in play; armor lines are neither prose nor commands. A block
 * without its signature is not a block: it is judged as plain text.
 */
function findSignedBlocks(lines: readonly string[]): SignedArmor {
  const blocks: SignedBlockRange[] = []
  const armorLines = new Set<number>()
  const dashEscaped = new Set<number>()
  const trimmed = (k: number): string => (lines[k] ?? '').trim()
  for (let i = 0; i < lines.length; i++) {
    if (trimmed(i) !== BEGIN_SIGNED) continue
    let j = i + 1
    while (j < lines.length && trimmed(j) !== '') j++ // Hash: headers up to the blank line
    const contentStart = j + 1
    let k = contentStart
    while (k < lines.length && trimmed(k) !== BEGIN_SIG && trimmed(k) !== BEGIN_SIGNED) k++
    let end = k
    while (end < lines.length && trimmed(end) !== END_SIG) end++
    if (k >= lines.length || end >= lines.length) continue
    for (let a = i; a < contentStart; a++) armorLines.add(a)
    for (let a = k; a <= end; a++) armorLines.add(a)
    for (let a = contentStart; a < k; a++) if ((lines[a] ?? '').startsWith('- ')) dashEscaped.add(a)
    blocks.push({
      startLine: i,
      endLine: end,
      text: lines.slice(i, end + 1).join('\n'),
      contentStart,
      contentEnd: k - 1,
    })
    i = end
  }
  return { blocks, armorLines, dashEscaped }
}

/** Regions: runs of consecutive lines with command text (an isolated line is a region of its own). */
function regionsOf(reader: CommandReader): ShellRegion[] {
  const { commandSpans, masked, isolate } = reader
  const regions: ShellRegion[] = []
  let startLine = -1
  for (let i = 0; i <= commandSpans.length; i++) {
    const has = i < commandSpans.length && (commandSpans[i]?.length ?? 0) > 0
    if (has && isolate.has(i) && startLine >= 0) {
      regions.push({ line: startLine, text: masked.slice(startLine, i).join('\n') })
      startLine = -1
    }
    if (has && startLine < 0) startLine = i
    if ((!has || isolate.has(i)) && startLine >= 0) {
      const end = has ? i + 1 : i
      regions.push({ line: startLine, text: masked.slice(startLine, end).join('\n') })
      startLine = -1
    }
  }
  return regions
}

/** The stacked intros in front of a command (`Solution - then run …`, `UPDATE 2: just paste this: …`). */
function introOf(afterLead: string): { readonly intro: string; readonly imperative: boolean } {
  let intro = ''
  for (let k = 0; k < 3; k++) {
    const rest = afterLead.slice(intro.length)
    // A label never starts with a program name (`printf 'Package: …'` is a command, not a label).
    const imperativeIntro = IMPERATIVE.exec(rest)?.[1]
    const label = imperativeIntro === undefined && !looksLikeCommand(rest) ? LABEL.exec(rest)?.[1] : undefined
    const step = imperativeIntro ?? label
    if (step === undefined) break
    intro += step
    if (imperativeIntro !== undefined) return { intro, imperative: true }
  }
  return { intro, imperative: false }
}

/**
 * Pass 2, one line at a time: fences, `<pre>`, prompts, command lines, inline code, commands after an intro or
 * inside a sentence. Command text is copied into `masked` at its own columns; everything else becomes spaces.
 */
class CommandReader {
  readonly lineKinds: LineKind[]
  readonly commandSpans: Array<Array<readonly [number, number]>>
  readonly masked: string[]
  /** Lines typed after a root prompt. */
  readonly rootLines = new Set<number>()
  /** Lines after which a region must end (an unbalanced line parsed on its own). */
  readonly isolate = new Set<number>()
  /** The lines with HTML code wrappers (`<pre>`, `<code>`) masked by spaces of the same width, so columns stay true. */
  private readonly view: readonly string[]
  /** Columns hidden by dash-escaping at the start of each line. */
  private readonly skip: readonly number[]
  private fence: Fence | undefined
  private pre = false
  /** The line above ended with a backslash. */
  private continuing = false
  /** The terminator of the here-doc being read. */
  private heredoc: string | undefined
  /** Lines still needed to close a quote opened on an earlier command line. */
  private openQuote = false

  constructor(
    private readonly lines: readonly string[],
    armor: SignedArmor,
  ) {
    this.lineKinds = lines.map((_, i) => (armor.armorLines.has(i) ? 'signed-armor' : 'prose'))
    this.commandSpans = lines.map(() => [])
    this.masked = lines.map(() => '')
    this.view = lines.map((l) => (l.includes('<') ? l.replace(HTML_TAG, (t) => ' '.repeat(t.length)) : l))
    this.skip = lines.map((_, i) => (armor.dashEscaped.has(i) ? 2 : 0))
  }

  /** Reads line i and marks the command text on it. */
  readLine(i: number): void {
    if (this.lineKinds[i] === 'signed-armor') {
      this.fence = undefined
      this.pre = false
      this.endOpenCommand()
      return
    }
    const raw = this.view[i] ?? ''
    const dashCols = this.skip[i] ?? 0
    const line = raw.slice(dashCols)
    if (this.readFence(i, line)) return
    // A continued line, an open quote or a heredoc body belongs to the command above it, whatever it looks like.
    if (this.continuing || this.heredoc !== undefined || this.openQuote) {
      this.continueCommand(i, raw, line, dashCols)
      return
    }
    if (/<pre\b/i.test(this.lines[i] ?? '')) this.pre = true
    const closesPre = /<\/pre>/i.test(this.lines[i] ?? '')
    const parts = linePartsOf(line)
    const quote = this.quoteStateOf(i, parts.body)
    const isCmd = this.isCommandLine(parts, quote)
    if ((this.fence || this.pre) && !isCmd && parts.body.slice(0, commentStart(parts.body)).trim() !== '')
      this.lineKinds[i] = 'code'
    if (closesPre) this.pre = false
    if (isCmd) {
      if (parts.rootPrompt) this.rootLines.add(i)
      this.command(i, dashCols + parts.lead.length + parts.prompt.length, parts.body, quote)
      return
    }
    // A sentence in a fence or `<pre>` may still carry a command ("Then run … | sudo bash"): read it as prose.
    if ((this.fence || (this.pre && !closesPre)) && !strongShell(line)) return
    // Prose: inline code spans, then a command after an imperative or a label, then one embedded in a sentence.
    if (this.readInlineCode(i, line, dashCols)) return
    if (this.readIntroducedCommand(i, raw, dashCols, parts)) return
    this.readEmbeddedCommand(i, line, dashCols)
  }

  /** Forgets what the command above left open (a fence or armor line ends it). */
  private endOpenCommand(): void {
    this.continuing = false
    this.heredoc = undefined
    this.openQuote = false
  }

  /** A fence line opens or closes a fence; true when line i is one. */
  private readFence(i: number, line: string): boolean {
    const fenceMatch = FENCE.exec(line)
    if (!fenceMatch) return false
    const marker = fenceMatch[1] ?? '```'
    if (
      this.fence &&
      line
        .trim()
        .replace(/^(?:>\s?)*/, '')
        .startsWith(this.fence.marker)
    )
      this.fence = undefined
    else if (!this.fence) {
      const lang = (fenceMatch[2] ?? '').toLowerCase().replace(/^\{?\.?/, '')
      this.fence = { marker, lang, prompted: this.fenceHasPrompts(i, marker) }
    }
    this.lineKinds[i] = 'code'
    this.endOpenCommand()
    return true
  }

  /** True when a line of the fence opened on line i (up to its closing marker) starts with a prompt. */
  private fenceHasPrompts(i: number, marker: string): boolean {
    let prompted = false
    for (let j = i + 1; j < this.lines.length && !(this.lines[j] ?? '').trim().startsWith(marker); j++) {
      if (PROMPT.test((this.lines[j] ?? '').trimStart())) prompted = true
    }
    return prompted
  }

  /** Whether line i's body is a command, given where it is (a fence, `<pre>`, bare text) and its prompt. */
  private isCommandLine(parts: LineParts, quote: () => QuoteState): boolean {
    const { body, prompt, rootPrompt } = parts
    const code = body.slice(0, commentStart(body)).trim()
    // Shell syntax alone makes a line a command only when it does not open like a sentence ("Then run …").
    const sentence = (): boolean =>
      IMPERATIVE.test(body) || LABEL.test(body) || /^[A-Z][a-z']*\s+[a-z']+\s/.test(body)
    const cmdLike = looksLikeCommand(body) || (strongShell(code) && !sentence())
    if (this.fence || this.pre) {
      if (this.fence?.prompted) return (prompt !== '' && (!rootPrompt || cmdLike)) || cmdLike
      // Every line of a shell fence is a command, except prose someone typed into it ("Then run …").
      if (this.fence !== undefined && SHELL_LANGS.has(this.fence.lang))
        return code !== '' && (cmdLike || !sentence())
      return cmdLike
    }
    // `$ ` and `user@host:~# ` are prompts whatever follows; a bare `# ` may be a markdown heading.
    return (
      ((prompt.trim() === '$' || prompt.includes('@')) && code !== '' && (cmdLike || !sentence())) ||
      (cmdLike &&
        (quote() === 'balanced' || code.endsWith('\\') || strongShell(code) || quote() === 'closes-below'))
    )
  }

  /** The quote state of line i's body, worked out once and only when asked for. */
  private quoteStateOf(i: number, body: string): () => QuoteState {
    let state: QuoteState | undefined
    return () => {
      state ??= quotesBalance(body) ? 'balanced' : this.closesWithin(i, body) ? 'closes-below' : 'left-open'
      return state
    }
  }

  /** True when the quote opened on line i closes within the next 30 lines. */
  private closesWithin(i: number, body: string): boolean {
    let acc = body
    for (let j = i + 1; j < Math.min(this.lines.length, i + 31); j++) {
      if (this.lineKinds[j] === 'signed-armor') return false
      acc += '\n' + (this.view[j] ?? '')
      if (quotesBalance(acc)) return true
    }
    return false
  }

  /** Marks line i from `start` as a command and notes what it leaves open (continuation, heredoc, quote). */
  private command(i: number, start: number, body: string, quote: () => QuoteState): void {
    this.mark(i, start, (this.view[i] ?? '').length, 'command')
    this.continuing = endsWithContinuation(body)
    this.heredoc = heredocTerminator(body)
    // A quote left open: bash reads on until it closes. Follow it when a later line closes it; otherwise parse this
    // line on its own so it cannot swallow the lines after it.
    const state = quote()
    if (state === 'closes-below') this.openQuote = true
    else if (state === 'left-open') this.isolate.add(i)
  }

  /** Line i continues the command above: a continued line, a here-doc body or the rest of an open quote. */
  private continueCommand(i: number, raw: string, line: string, dashCols: number): void {
    this.mark(i, dashCols, raw.length, 'command')
    if (this.heredoc !== undefined) {
      if (line.trim() === this.heredoc) this.heredoc = undefined
    } else if (this.openQuote) {
      if (this.quoteClosesOn(i, line)) {
        this.openQuote = false
        this.continuing = endsWithContinuation(line)
      }
    } else {
      this.continuing = endsWithContinuation(line)
      this.heredoc = heredocTerminator(line)
    }
  }

  /** True when the open quote closes on line i: the text from the line that opened it balances. */
  private quoteClosesOn(i: number, line: string): boolean {
    let j = i
    let acc = line
    while (j > 0 && (this.commandSpans[j - 1]?.length ?? 0) > 0 && !quotesBalance(acc)) {
      j--
      acc = (this.view[j] ?? '') + '\n' + acc
    }
    return quotesBalance(acc)
  }

  /** Inline `code spans` that hold a command; true when line i has one. */
  private readInlineCode(i: number, line: string, dashCols: number): boolean {
    let found = false
    for (const m of line.matchAll(/(`+)([^`]+?)\1/g)) {
      const inner = m[2] ?? ''
      const innerPrompt = PROMPT.exec(inner)?.[1] ?? ''
      const cmd = inner.slice(innerPrompt.length)
      if ((innerPrompt !== '' || looksLikeCommand(cmd) || strongShell(cmd)) && quotesBalance(cmd)) {
        const start = dashCols + (m.index ?? 0) + (m[1] ?? '').length + innerPrompt.length
        this.mark(i, start, start + cmd.length, 'prose')
        this.masked[i] += ';' // separates two inline commands on one line
        if (innerPrompt.trim().endsWith('#')) this.rootLines.add(i)
        found = true
      }
    }
    return found
  }

  /** A command after an imperative or a label (`Then run …`, `Fix: …`), up to where the sentence ends. */
  private readIntroducedCommand(i: number, raw: string, dashCols: number, parts: LineParts): boolean {
    const afterLead = parts.prompt + parts.body
    const { intro, imperative } = introOf(afterLead)
    if (intro === '') return false
    const rest = afterLead.slice(intro.length)
    const restPrompt = PROMPT.exec(rest)?.[1] ?? ''
    const cmd = rest.slice(restPrompt.length)
    const starts =
      (imperative && cmd.trim() !== '' && /^[\w./~$({`'"\\-]/.test(cmd)) ||
      looksLikeCommand(cmd) ||
      strongShell(cmd)
    if (!starts) return false
    const start = dashCols + parts.lead.length + intro.length + restPrompt.length
    const end = start + sentenceEnd(cmd)
    this.mark(i, start, end, 'prose')
    if (restPrompt.trim().endsWith('#')) this.rootLines.add(i)
    if (end >= raw.length) {
      // The command runs to the end of the line: what it opens (a here-doc, a continuation) goes on below.
      this.continuing = endsWithContinuation(cmd)
      this.heredoc = heredocTerminator(cmd)
      if (!quotesBalance(cmd)) this.isolate.add(i)
    }
    return true
  }

  /**
   * A command inside a sentence ("… so I ran curl https://x | sudo bash and it worked"): from the first known
   * program word, when what follows shows shell syntax.
   */
  private readEmbeddedCommand(i: number, line: string, dashCols: number): void {
    if (!strongShell(line)) return
    for (const m of line.matchAll(/(?:^|\s)([a-z][\w.-]*)/g)) {
      const at = (m.index ?? 0) + m[0].length - (m[1] ?? '').length
      const rest = line.slice(at)
      if (!COMMAND_WORDS.has(m[1] ?? '') || !strongShell(rest)) continue
      const end = at + sentenceEnd(rest)
      this.mark(i, dashCols + at, dashCols + end, 'prose')
      this.isolate.add(i)
      return
    }
  }

  /** Marks columns [start, end) of line i as command text of the given kind. */
  private mark(i: number, start: number, end: number, kind: LineKind): void {
    const line = this.view[i] ?? ''
    this.lineKinds[i] = kind
    this.commandSpans[i]?.push([start, end])
    this.masked[i] = (this.masked[i] ?? '').padEnd(start, ' ') + line.slice(start, end)
  }
}
