/**
 * Rule family "download and run": downloads, decoders and the shells and interpreters they feed.
 *
 * A shell or interpreter is judged by where its program text comes from: a literal in the paste is parsed and
 * checked like any other command; anything else — a download, decoded bytes, another program's output, a variable
 * or substitution the text does not show — is hidden from the reader, and `high` when it runs as root
 * (docs/inspect.md, "Rules").
 */
import type { Flow, SimpleCommand, Span, Word } from '../command-model'
import { mergeFlow, NO_FLOW } from '../command-model'
import type { Walker } from '../walk'
import type { RuleContext } from './context'

/** Shells: their `-c` string or stdin is a script. */
export const SHELLS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'busybox',
  'rbash',
  'tcsh',
  'csh',
])
/** Interpreters of other languages: a script argument, `-c`/`-e` code, or their stdin. */
export const INTERPRETERS: ReadonlySet<string> = new Set([
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'nodejs',
  'php',
  'lua',
  'tclsh',
  'pwsh',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'jshell',
  'irb',
  'Rscript',
])
/** Programs that fetch bytes from the network and can write them to stdout. */
export const DOWNLOADERS: ReadonlySet<string> = new Set([
  'curl',
  'wget',
  'fetch',
  'http',
  'https',
  'xh',
  'xhs',
  'curlie',
  'aria2c',
  'lwp-download',
  'lwp-request',
  'GET',
  'lynx',
  'links',
  'elinks',
  'w3m',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
])

/** Programs that copy stdin to stdout (maybe transformed), so what flows in flows on. */
const PASSTHROUGH: ReadonlySet<string> = new Set([
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

/** Calls that hand a string to a shell inside other languages: awk `system()`, Python `os.system()`, `popen`… */
const SHELL_CALL =
  /\b(?:system|popen|exec|execSync|spawnSync|call|run|check_output|check_call|Popen|getoutput)\s{0,4}\(\s{0,4}\[?\s{0,4}(["'])((?:(?!\1)[^\\\n]|\\.){1,4000})\1/g
/** awk's `"cmd" | getline` and `print … | "sh"` (gawk manual, "Using getline from a Pipe" and "Redirecting Output"). */
const AWK_PIPE =
  /"((?:[^"\\\n]|\\.){1,4000})"\s{0,4}\|\s{0,4}getline|\|\s{0,4}"((?:sudo\s+)?(?:ba|da|z|k)?sh)\b/g

/** Decodes base64 text if it is base64; undefined otherwise (the decoded payload is then checked too). */
export function decodeBase64(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  const t = s.replace(/\s+/g, '')
  if (t.length < 4 || t.length > 1_000_000 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return undefined
  try {
    const bin = atob(t.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** Decodes `\xNN` and `\NNN` escapes (printf, echo -e). */
function ansiDecode(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\([0-7]{3})/g, (_, h: string | undefined, o: string | undefined) =>
    String.fromCharCode(h ? parseInt(h, 16) : parseInt(o ?? '0', 8)),
  )
}

/** Union of the flows of `words`. */
export function flowOf(words: readonly Word[]): Flow {
  let f: Flow = NO_FLOW
  for (const w of words) f = mergeFlow(f, { download: w.flow.download, decoded: w.flow.decoded })
  return f
}

/** What a program that transforms its input writes: decoders, echo/printf, passthrough filters. */
export function transformOutput(
  cmd: SimpleCommand,
  texts: readonly string[],
  ctx: RuleContext,
): Flow | undefined {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  if (program === 'base64' || program === 'base32' || program === 'basenc') {
    if (texts.some((t) => /^-[a-zA-Z]*[dD]|^--decode$/.test(t)))
      return { download: cmd.stdin.download, decoded: true, text: decodeBase64(cmd.stdin.text) }
    return cmd.stdin
  }
  if (program === 'xxd' && texts.some((t) => /^-[a-z]*r/.test(t)))
    return { download: cmd.stdin.download, decoded: true }
  if (
    program === 'openssl' &&
    texts.some((t) => /^(-d|base64|-base64|-a|enc)$/.test(t)) &&
    texts.includes('-d')
  )
    return { download: cmd.stdin.download, decoded: true }
  if (program === 'openssl' && texts[0] === 's_client')
    return { download: true, decoded: false, from: 'openssl' }
  if (program === 'echo' || program === 'printf') {
    const text = texts.filter((t, k) => !(k === 0 && /^-[neE]+$/.test(t))).join(' ')
    const decoded =
      (program === 'printf' || texts[0]?.includes('e') === true) && /\\x[0-9a-f]{2}|\\[0-7]{3}/i.test(text)
    // printf(1) and `echo -e` turn `\n` and `\t` into line breaks and tabs: line-based rules (a pin priority, a
    // modprobe line, a passwd entry) must see the lines the file will get.
    const lines =
      program === 'printf' || /^-[nE]*e[nE]*$/.test(texts[0] ?? '')
        ? text.replace(/\\([nt])/g, (_, c: string) => (c === 'n' ? '\n' : '\t'))
        : text
    return mergeFlow({ download: false, decoded, text: decoded ? ansiDecode(lines) : lines }, flowOf(args))
  }
  // `rev` and `tr` rot13 are decoders: the text they print is not the text the reader sees.
  if (program === 'rev')
    return { ...cmd.stdin, decoded: true, text: cmd.stdin.text?.split('\n').map(reverse).join('\n') }
  if (program === 'tr' && texts.some((t) => /N-ZA-M|n-za-m/.test(t)))
    return { ...cmd.stdin, decoded: true, text: undefined }
  if (program === 'cat' && args.length === 0) return cmd.stdin
  if (program === 'cat') {
    let out = cmd.stdin === NO_FLOW ? NO_FLOW : cmd.stdin
    for (const a of args) {
      const f = ctx.written(a.text)
      out = mergeFlow(out, f ?? { download: false, decoded: false, from: a.text })
    }
    return out
  }
  if (PASSTHROUGH.has(program)) {
    const keep = program === 'tee' || program === 'sort' || program === 'cat' || program === 'stdbuf'
    return { ...cmd.stdin, text: keep ? cmd.stdin.text : undefined, from: cmd.stdin.from ?? program }
  }
  return undefined
}

function reverse(s: string): string {
  return [...s].reverse().join('')
}

/** A downloader: notes the files it writes and returns the download when it writes to stdout. */
export function downloader(
  cmd: SimpleCommand,
  ctx: RuleContext,
): { out: Flow; outputs: Word[]; urls: string[] } {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  const urls: string[] = []
  let toStdout = program !== 'wget' && program !== 'aria2c' && program !== 'lwp-download'
  const outputs: Word[] = []
  for (let k = 0; k < args.length; k++) {
    const a = args[k]
    if (!a) continue
    const t = a.text
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || (!t.startsWith('-') && /^[\w.-]+\.[a-z]{2,}\//i.test(t)))
      urls.push(t)
    if (program === 'curl') {
      if (t === '-o' || t === '--output' || /^-[a-zA-Z]*o$/.test(t)) {
        const f = args[k + 1]
        if (f && f.text !== '-') {
          outputs.push(f)
          toStdout = false
        }
      } else if (/^--output=/.test(t)) toStdout = false
      else if (t === '-O' || t === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(t)) toStdout = false
      if (t === '-k' || t === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(t)) tls(ctx, a)
    } else if (program === 'wget') {
      const m = /^(?:-[a-zA-Z]*O|--output-document=?)(.*)$/.exec(t)
      if (m) {
        const target = m[1] !== undefined && m[1] !== '' ? m[1] : args[k + 1]?.text
        if (target === '-') toStdout = true
        else if (target !== undefined) {
          const w = m[1] ? { ...a, text: m[1] } : args[k + 1]
          if (w) outputs.push(w)
        }
      }
      if (t === '--no-check-certificate') tls(ctx, a)
    } else if (/^--(no-check-certificate|insecure|verify=no|check-certificate=false)$/.test(t)) tls(ctx, a)
  }
  const flow: Flow = { download: true, decoded: false, urls, from: program }
  for (const o of outputs) ctx.wrote(o.text, flow)
  if (!toStdout && outputs.length === 0)
    for (const u of urls) ctx.wrote(u.replace(/[?#].*$/, '').replace(/^.*\//, '') || 'index.html', flow)
  return { out: toStdout ? flow : NO_FLOW, outputs, urls }
}

/** Raises `tls-disabled` on an option word. */
export function tls(ctx: RuleContext, w: Word): void {
  ctx.add('tls-disabled', 'high', w.span)
}

/** Environment settings that turn certificate checks off for the command (or the rest of the session). */
export function tlsEnv(ctx: RuleContext, name: string, value: Word): void {
  if (
    (name === 'GIT_SSL_NO_VERIFY' && /^(1|true|yes)$/i.test(value.text)) ||
    (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && value.text === '0') ||
    (name === 'PYTHONHTTPSVERIFY' && value.text === '0') ||
    (name === 'CURL_CA_BUNDLE' && value.text === '')
  )
    ctx.add('tls-disabled', 'high', value.span)
}

/** Where a hidden program text comes from, for the message. */
function hiddenWhat(flow: Flow, fallback: string): string {
  if (flow.from) return `the output of \`${flow.from}\``
  return fallback
}

/**
 * Judges program text fed to a shell or interpreter. Returns true when it raised a finding (the text is not shown).
 *
 * `hidden`: where the program text comes from when the paste does not show it (a variable, another program's
 * output), for the message; undefined when the text is shown (then it is parsed and checked instead).
 */
function judgeProgram(
  cmd: SimpleCommand,
  flow: Flow,
  span: Span,
  ctx: RuleContext,
  hidden: string | undefined,
): boolean {
  if (flow.download) {
    ctx.add('pipe-to-shell', 'high', span, flow.urls?.[0] ? `a script from ${flow.urls[0]}` : undefined)
    return true
  }
  if (flow.decoded) {
    ctx.add('decoded-payload', 'high', span)
    return true
  }
  if (hidden !== undefined) {
    ctx.add('hidden-root-script', cmd.root ? 'high' : 'medium', span, hidden)
    return true
  }
  return false
}

/** awk and its variants: the program is the first non-option argument. */
const AWKS: ReadonlySet<string> = new Set(['awk', 'gawk', 'mawk', 'nawk'])

/** Shells, interpreters, `source` and `eval`: what program text they run. They write nothing the rules follow. */
export function interpreter(cmd: SimpleCommand, walker: Walker, ctx: RuleContext): Flow {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  if (program === 'eval') {
    evalCommand(cmd, walker, ctx)
    return NO_FLOW
  }
  const code = codeArgument(program, args)
  if (code) {
    runCode(cmd, code, walker, ctx)
    return NO_FLOW
  }
  const isShell = SHELLS.has(program) || program === 'source' || program === '.'
  const script = args.find((a) => !a.text.startsWith('-') || a.text === '-')
  if (script && script.text !== '-' && script.text !== '/dev/stdin') {
    if (script.processSubst)
      judgeProgram(
        cmd,
        script.flow,
        script.span,
        ctx,
        script.flow.text === undefined ? hiddenWhat(script.flow, 'another program') : undefined,
      )
    else runScriptFile(cmd, script, walker, ctx, isShell)
    return NO_FLOW
  }
  programFromStdin(cmd, walker, ctx, isShell)
  return NO_FLOW
}

/** `eval WORDS`: the words are a command line, hidden when they come from a download, decoded bytes or a variable. */
function evalCommand(cmd: SimpleCommand, walker: Walker, ctx: RuleContext): void {
  const args = cmd.argv.slice(1)
  const dynamic = args.some((a) => a.dynamic && a.flow.text === undefined)
  const hidden = cmd.root && dynamic ? 'a variable or substitution' : undefined
  if (judgeProgram(cmd, flowOf(args), cmd.span, ctx, hidden)) {
    for (const a of args) if (a.flow.decoded && a.text) walker.walkText(a.text, a.span, cmd.depth, cmd.root)
    return
  }
  if (args.some((a) => a.dynamic)) ctx.add('eval-dynamic', 'medium', cmd.span)
  for (const a of args) if (!a.dynamic || a.text) walker.walkWord(a, cmd.depth, cmd.stdin, cmd.root)
}

/** The program text given as an argument: `-c CODE` (shells, python, php), `-e CODE` (perl, ruby, node), awk's. */
function codeArgument(program: string, args: readonly Word[]): Word | undefined {
  if (AWKS.has(program))
    return args.find((a, k) => !a.text.startsWith('-') && !/^-[fv]$/.test(args[k - 1]?.text ?? ''))
  const codeFlag = SHELLS.has(program) ? /^-[a-z]*c[a-z]*$/ : /^-(c|e|E|r)$/
  const ci = args.findIndex((a) => codeFlag.test(a.text))
  return ci >= 0 ? args[ci + 1] : undefined
}

/**
 * Program text given as an argument: hidden text is judged; a shell's is parsed and walked; in other languages
 * the shell commands they call and the download-and-run or decode-and-run idioms are looked for.
 */
function runCode(cmd: SimpleCommand, code: Word, walker: Walker, ctx: RuleContext): void {
  const program = cmd.program
  const hidden = code.dynamic && code.flow.text === undefined && code.node.type !== 'raw_string'
  if (judgeProgram(cmd, code.flow, code.span, ctx, hidden ? 'a variable or substitution' : undefined)) {
    if (code.flow.decoded && SHELLS.has(program)) walker.walkText(code.text, code.span, cmd.depth, cmd.root)
    return
  }
  if (SHELLS.has(program)) {
    walker.walkWord(code, cmd.depth, cmd.stdin, cmd.root)
    return
  }
  // Shell commands run from inside the language (`system("…")`, `os.system('…')`): check them as commands.
  for (const m of code.text.matchAll(SHELL_CALL))
    walker.walkText(unescape(m[2] ?? ''), code.span, cmd.depth, cmd.root)
  if (AWKS.has(program)) {
    for (const m of code.text.matchAll(AWK_PIPE)) {
      if (m[1] !== undefined) walker.walkText(unescape(m[1]), code.span, cmd.depth, cmd.root)
      else judgeProgram(cmd, cmd.stdin, code.span, ctx, hiddenWhat(cmd.stdin, 'the text awk prints'))
    }
  }
  if (
    /urlopen|requests\.get|urllib|LWP::|Net::HTTP|open-uri|https?:\/\//.test(code.text) &&
    /exec|eval|system|\|\s*sh|subprocess/.test(code.text)
  )
    ctx.add('pipe-to-shell', 'high', code.span, 'code')
  else if (
    /b64decode|base64|fromhex|unhexlify|pack\(/.test(code.text) &&
    /exec|eval|system|subprocess/.test(code.text)
  )
    ctx.add('decoded-payload', 'high', code.span)
}

/** A shell or interpreter reading its program from stdin: a file, hidden bytes, or text the paste shows. */
function programFromStdin(cmd: SimpleCommand, walker: Walker, ctx: RuleContext, isShell: boolean): void {
  const span = cmd.span
  const stdin = cmd.stdin
  if (stdin === NO_FLOW) return // an interactive shell: what is typed into it is judged as it comes
  if (stdin.file !== undefined && stdin.text === undefined && !stdin.download && !stdin.decoded) {
    const file = cmd.redirects.find((r) => r.target.text === stdin.file)?.target
    if (file) runScriptFile(cmd, file, walker, ctx, isShell)
    return
  }
  const judged = judgeProgram(
    cmd,
    stdin,
    span,
    ctx,
    stdin.text === undefined ? hiddenWhat(stdin, 'another program') : undefined,
  )
  // A here-doc, echoed text or decoded payload fed to a shell is itself a script: check what it would run. A payload
  // already called dangerous is walked for what it does, without default-deny noise on each of its commands.
  if (stdin.text !== undefined && SHELLS.has(cmd.program))
    walker.walkText(stdin.text, span, cmd.depth, cmd.root && !judged)
}

/** A script file run by a shell or interpreter: written by the paste (then checked), downloaded, or unseen. */
function runScriptFile(
  cmd: SimpleCommand,
  script: Word,
  walker: Walker,
  ctx: RuleContext,
  isShell: boolean,
): void {
  const f = ctx.written(script.text)
  if (f && (f.download || f.decoded)) {
    ctx.add(
      'run-downloaded',
      'high',
      script.span,
      f.download ? 'a script downloaded from the internet' : 'a script decoded from hidden text',
    )
  } else if (f?.text !== undefined) {
    if (isShell) walker.walkText(f.text, script.span, cmd.depth, cmd.root)
  } else if (f) {
    ctx.add(
      'run-downloaded',
      cmd.root ? 'high' : 'medium',
      script.span,
      `a script whose contents this text does not show (${hiddenWhat(f, script.text)})`,
    )
  } else if (cmd.root) {
    ctx.add(
      'run-downloaded',
      'medium',
      script.span,
      `\`${script.text}\` as administrator, a script whose contents you cannot see here,`,
    )
  }
}

/** Undoes the backslash escapes of a quoted string in another language. */
function unescape(s: string): string {
  return s.replace(/\\(["'\\])/g, '$1')
}

/** Running a file this text downloaded, decoded or wrote as a program (`./x`, `sudo /tmp/x`). */
export function runsWrittenProgram(cmd: SimpleCommand, walker: Walker, ctx: RuleContext): void {
  const first = cmd.argv[0]
  if (!first) return
  if (first.flow.download && first.node.type !== 'word') {
    ctx.add('pipe-to-shell', 'high', first.span, 'a program name')
    return
  }
  if (!/^(\.{0,2}\/|~\/|\/)/.test(first.text)) {
    // A bare name the paste downloaded into a folder on PATH (`curl … | sudo tee /usr/local/bin/fix`, then `fix`).
    const g = ctx.written(first.text)
    if (g && (g.download || g.decoded) && !first.text.includes('.'))
      ctx.add('run-downloaded', 'high', first.span)
    return
  }
  const f = ctx.written(first.text)
  if (f && (f.download || f.decoded)) ctx.add('run-downloaded', 'high', first.span)
  else if (f?.text !== undefined) walker.walkText(f.text, first.span, cmd.depth, cmd.root)
  else if (f)
    ctx.add('run-downloaded', 'high', first.span, `a program whose contents this text does not show`)
  else if (/^\.{0,2}\//.test(first.text) && cmd.root)
    ctx.add(
      'run-downloaded',
      'medium',
      first.span,
      `\`${first.text}\` as administrator, a script whose contents you cannot see here,`,
    )
}

/** `bash -i >& /dev/tcp/…`, `exec 3<>/dev/tcp/…`: a raw connection from the shell (bash(1), REDIRECTION). */
export function rawNetwork(cmd: SimpleCommand, ctx: RuleContext): void {
  for (const r of cmd.redirects) {
    if (/^\/dev\/(tcp|udp)\//.test(r.target.text))
      ctx.add('raw-network', 'high', r.target.span, r.target.text)
  }
}
