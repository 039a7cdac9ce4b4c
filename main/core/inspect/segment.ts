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
import type { LineKind } from './types'

/** Program names that make a line read as a command when it starts with one. */
export const COMMAND_WORDS: ReadonlySet<string> = new Set(
  (
    'sudo su doas pkexec run0 env nohup exec nice timeout time xargs setsid chroot stdbuf command builtin ' +
    'curl wget aria2c fetch http https xh lynx links w3m elinks nc ncat netcat socat scp rsync git ' +
    'apt apt-get apt-key apt-cache apt-mark aptitude dpkg dpkg-query dpkg-reconfigure add-apt-repository gdebi ' +
    'snap flatpak pip pip3 pipx npm npx yarn pnpm gem cargo go make cmake uv uvx ' +
    'sh bash zsh dash ksh fish busybox python python2 python3 perl ruby node php lua eval source . ' +
    'echo printf cat tee sed awk gawk tr rev cut grep egrep head tail sort uniq wc base64 base32 xxd openssl gpg gpg2 ' +
    'chmod chown chgrp chattr setcap rm mv cp ln mkdir touch install dd tar unzip gunzip zcat xz find ' +
    'systemctl service journalctl ufw iptables nft aa-disable aa-complain aa-teardown aa-status apparmor_parser ' +
    'setenforce getenforce crontab at visudo usermod useradd passwd chpasswd ssh ssh-keygen ssh-copy-id ' +
    'export unset alias function cd ls ll ps top htop kill pkill killall reboot shutdown poweroff uname lsb_release ' +
    'hostnamectl timedatectl whoami id df du free uptime dmesg lsof ss netstat ip ping dig nslookup ' +
    'sysctl modprobe insmod rmmod mount umount ldconfig update-grub update-initramfs update-alternatives ' +
    'do-release-upgrade unattended-upgrade unattended-upgrades needrestart pro ubuntu-advantage canonical-livepatch ' +
    'docker podman nerdctl lxc multipass which debsums adduser newusers kernelstub grubby resolvectl nmcli lifeline ' +
    'fi esac { } [['
  ).split(' '),
)

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

/** Leading markdown furniture: blockquote marks, list bullets, numbered or lettered steps. */
const LEAD =
  /^(\s*(?:>\s?)*(?:[-*+•→▶]\s+|\d{1,2}[.)]\s+|[a-z][.)]\s+|\[\d{1,2}\]\s+|step\s+\d{1,2}\s*[:.)-]\s*)?)/i
/** A shell prompt: `$ `, `# `, `user@host:~$ `, `root@host:/# `, `(venv) $ `. */
const PROMPT = /^((?:\(\w[\w.-]*\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?)?[$#]\s+)/
/** Imperative prose that introduces a command: `Then run …`, `Just type …`, `Next, execute: …`. */
const IMPERATIVE =
  /^((?:(?:then|now|next|and|just|simply|please|first|finally|also|after that|afterwards|quickly)[,:]?\s+){0,3}(?:run|type|execute|paste|enter|try|do)(?:\s+this|\s+the following|\s+it)?\s*:?\s+)/i
/** A short label before a colon (`Fix: …`, `UPDATE 2: …`, `Solution - …`): at most four words. */
const LABEL = /^((?:[\p{L}\p{N}()'’-]+\s+){0,3}?[\p{L}\p{N}()'’-]+\s*(?::|\s-|—)\s+)/u
/** HTML that wraps code in a pasted web page: the tags are masked, the text between them is read. */
const HTML_TAG = /<\/?(?:pre|code|kbd|samp|tt|br|p|div|span)\b[^<>]{0,200}>/gi
/** Signs that text is shell, not prose: a pipe into a shell or `sudo`, a redirect, a `&&`, a substitution. */
const STRONG =
  /\|\s*(?:sudo|doas|pkexec|su|sh|bash|zsh|dash|ksh|python[0-9.]*|perl|ruby|node|php|tee)\b|&&|\$\(|`[^`]*`|(?:^|\s)>{1,2}\s*\/|<<<?|\bhttps?:\/\/\S+\s*\|/

/** The first word of a candidate command (skipping `VAR=value` prefixes). */
function firstWord(s: string): string {
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)*([^\s;|&()<>`]+)/.exec(s)
  return m?.[1] ?? ''
}

/** True when `s` starts like a command: a known program, a path to a program, a function or a subshell. */
export function looksLikeCommand(s: string): boolean {
  // Subshells, groups and substitutions used as commands: `(cd /tmp; …)`, `{ …; }`, `` `…` ``, `$(…)`.
  const opened = /^(?:[({]\s*|`|\$\()+/.exec(s)
  if (opened)
    return opened[0].trim() === '{' && s.trim() === '{' ? true : looksLikeCommand(s.slice(opened[0].length))
  if (/^[})]\s*(?:[;|&<>]|$)/.test(s)) return true
  const w = firstWord(s)
  if (COMMAND_WORDS.has(w)) return true
  if (/^(\.{0,2}\/|~\/)[\w./-]+$/.test(w)) return true
  // An unknown program followed by an option (`fixer --apply`): prose does not write options.
  if (/^[a-z][\w.+-]*\s+--?[a-zA-Z]/.test(s)) return true
  // A function definition: `name() {`, `name () {`.
  if (/^[A-Za-z_][\w-]*\s*\(\)\s*(?:\{|$)/.test(s)) return true
  // A variable set on a line of its own (`X="curl …"`, `H=host;`): later lines may run it.
  if (/^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s'"]*)\s*(?:;|&&|$)/.test(s)) return true
  // `X=$(…)`: an assignment that runs a command.
  return /^[A-Za-z_][A-Za-z0-9_]*=\S/.test(s) && /^\s*[A-Za-z_][A-Za-z0-9_]*=(?:\$\(|`)/.test(s)
}

/** True when text shows shell syntax that prose does not have (a pipe into a shell, `&&`, a redirect to a path). */
export function strongShell(s: string): boolean {
  return STRONG.test(s)
}

/**
 * Where bash's comment starts in `s` (a `#` that begins a word, outside quotes), or `s.length`.
 *
 * bash(1), COMMENTS: "a word beginning with # causes that word and all remaining characters on that line to be
 * ignored". Quotes inside the comment do not count, which is why an apostrophe there cannot hide the line.
 */
export function commentStart(s: string): number {
  let single = false,
    double = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (single) {
      if (c === "'") single = false
      continue
    }
    if (c === '\\') {
      i++
      continue
    }
    if (double) {
      if (c === '"') double = false
      continue
    }
    if (c === "'") single = true
    else if (c === '"') double = true
    else if (c === '#' && (i === 0 || /[\s;|&()]/.test(s[i - 1] ?? ''))) return i
  }
  return s.length
}

/** True when quotes balance in the code part of `s` (its comment excluded). */
function quotesBalance(s: string): boolean {
  let single = false,
    double = false
  const end = commentStart(s)
  for (let i = 0; i < end; i++) {
    const c = s[i]
    if (c === '\\' && !single) i++
    else if (c === "'" && !double) single = !single
    else if (c === '"' && !single) double = !double
  }
  return !single && !double
}

/** The heredoc terminator a command line opens, if any (`<<EOF`, `<<-'EOF'`, `<< "END"`). */
function heredocTerminator(s: string): string | undefined {
  const code = s.slice(0, commentStart(s))
  const m = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(code.replace(/<<</g, '   '))
  return m?.[2]
}

/** Where a command embedded in a sentence ends: before ` and `, ` then `, or a full stop that ends the sentence. */
function sentenceEnd(s: string): number {
  const m =
    /\s+(?:and then|and|then|before|after|to make|so that|which|because)\s+(?=[a-z])|[.!?](?=\s+[A-Z]|\s*$)/.exec(
      s.slice(0, commentStart(s)),
    )
  return m ? m.index : s.length
}

/** Splits `text` into lines, regions for the shell parser, and clearsigned blocks. */
export function segment(text: string): Segments {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  const lineOffsets: number[] = []
  let off = 0
  for (const l of text.split('\n')) {
    lineOffsets.push(off)
    off += l.length + 1
  }
  const lineKinds: LineKind[] = lines.map(() => 'prose')
  const commandSpans: Array<Array<readonly [number, number]>> = lines.map(() => [])
  const masked: string[] = lines.map(() => '')
  const signed: SignedBlockRange[] = []
  const rootLines = new Set<number>()
  /** Lines after which a region must end (an unbalanced line parsed on its own). */
  const isolate = new Set<number>()
  /** Columns hidden by dash-escaping (RFC 9580 section 7.2): `- ` before a signed line that starts with `-`. */
  const skip: number[] = lines.map(() => 0)

  // Pass 1: clearsigned armor. Content lines stay in play; armor lines are neither prose nor commands.
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() !== BEGIN_SIGNED) continue
    let j = i + 1
    while (j < lines.length && (lines[j] ?? '').trim() !== '') j++ // Hash: headers up to the blank line
    const contentStart = j + 1
    let k = contentStart
    while (
      k < lines.length &&
      (lines[k] ?? '').trim() !== BEGIN_SIG &&
      (lines[k] ?? '').trim() !== BEGIN_SIGNED
    )
      k++
    let end = k
    while (end < lines.length && (lines[end] ?? '').trim() !== END_SIG) end++
    if (k >= lines.length || end >= lines.length) continue // no signature: not a block, judged as plain text
    for (let a = i; a < contentStart; a++) lineKinds[a] = 'signed-armor'
    for (let a = k; a <= end; a++) lineKinds[a] = 'signed-armor'
    for (let a = contentStart; a < k; a++) if ((lines[a] ?? '').startsWith('- ')) skip[a] = 2
    signed.push({
      startLine: i,
      endLine: end,
      text: lines.slice(i, end + 1).join('\n'),
      contentStart,
      contentEnd: k - 1,
    })
    i = end
  }

  // HTML code wrappers (`<pre>`, `<code>`) are masked with spaces of the same width, so columns stay true.
  const view = lines.map((l) => (l.includes('<') ? l.replace(HTML_TAG, (t) => ' '.repeat(t.length)) : l))

  // Pass 2: fences, prompts, command lines, inline code.
  let fence: { marker: string; lang: string; prompted: boolean } | undefined
  let pre = false
  let continuing = false
  let heredoc: string | undefined
  /** Lines still needed to close a quote opened on an earlier command line. */
  let openQuote = false
  const mark = (i: number, start: number, end: number, kind: LineKind): void => {
    const line = view[i] ?? ''
    lineKinds[i] = kind
    commandSpans[i]?.push([start, end])
    masked[i] = (masked[i] ?? '').padEnd(start, ' ') + line.slice(start, end)
  }
  /** Marks line i from `start` as a command and notes what it leaves open (continuation, heredoc, quote). */
  const command = (i: number, start: number, body: string): void => {
    mark(i, start, (view[i] ?? '').length, 'command')
    const code = body.slice(0, commentStart(body))
    continuing = code.endsWith('\\') && code === body
    heredoc = heredocTerminator(body)
    if (!quotesBalance(body)) {
      // A quote left open: bash reads on until it closes. Follow it when a later line closes it; otherwise parse
      // this line on its own so it cannot swallow the lines after it.
      if (closesWithin(i, body)) openQuote = true
      else isolate.add(i)
    }
  }
  /** True when the quote opened on line i closes within the next 30 lines. */
  const closesWithin = (i: number, body: string): boolean => {
    let acc = body
    for (let j = i + 1; j < Math.min(lines.length, i + 31); j++) {
      if (lineKinds[j] === 'signed-armor') return false
      acc += '\n' + (view[j] ?? '')
      if (quotesBalance(acc)) return true
    }
    return false
  }
  for (let i = 0; i < lines.length; i++) {
    if (lineKinds[i] === 'signed-armor') {
      fence = undefined
      pre = false
      continuing = false
      heredoc = undefined
      openQuote = false
      continue
    }
    const raw = view[i] ?? ''
    const s0 = skip[i] ?? 0
    const line = raw.slice(s0)
    const fenceM = /^\s*(?:>\s?)*(`{3,}|~{3,})\s*([^\s`]*)/.exec(line)
    if (fenceM) {
      const marker = fenceM[1] ?? '```'
      if (
        fence &&
        line
          .trim()
          .replace(/^(?:>\s?)*/, '')
          .startsWith(fence.marker)
      )
        fence = undefined
      else if (!fence) {
        let prompted = false
        for (let j = i + 1; j < lines.length && !(lines[j] ?? '').trim().startsWith(marker); j++) {
          if (PROMPT.test((lines[j] ?? '').trimStart())) prompted = true
        }
        fence = { marker, lang: (fenceM[2] ?? '').toLowerCase().replace(/^\{?\.?/, ''), prompted }
      }
      lineKinds[i] = 'code'
      continuing = false
      heredoc = undefined
      openQuote = false
      continue
    }
    // A continued line, an open quote or a heredoc body belongs to the command above it, whatever it looks like.
    if (continuing || heredoc !== undefined || openQuote) {
      mark(i, s0, raw.length, 'command')
      if (heredoc !== undefined) {
        if (line.trim() === heredoc) heredoc = undefined
      } else if (openQuote) {
        // The quote closes on this line when the text from its start balances.
        let j = i
        let acc = line
        while (j > 0 && (commandSpans[j - 1]?.length ?? 0) > 0 && !quotesBalance(acc)) {
          j--
          acc = (view[j] ?? '') + '\n' + acc
        }
        if (quotesBalance(acc)) {
          openQuote = false
          const code = line.slice(0, commentStart(line))
          continuing = code.endsWith('\\') && code === line
        }
      } else {
        const code = line.slice(0, commentStart(line))
        continuing = code.endsWith('\\') && code === line
        heredoc = heredocTerminator(line)
      }
      continue
    }
    if (/<pre\b/i.test(lines[i] ?? '')) pre = true
    const closesPre = /<\/pre>/i.test(lines[i] ?? '')
    const lead = LEAD.exec(line)?.[1] ?? ''
    const afterLead = line.slice(lead.length)
    // A prompt copied with another prompt in front (`$ root@box:~# …`) is read as the reader would: both go.
    const p1 = PROMPT.exec(afterLead)?.[1] ?? ''
    const prompt = p1 + (p1 !== '' ? (PROMPT.exec(afterLead.slice(p1.length))?.[1] ?? '') : '')
    const body = afterLead.slice(prompt.length)
    const bodyStart = s0 + lead.length + prompt.length
    const rootPrompt = prompt.trim().endsWith('#')
    let isCmd = false
    const code = body.slice(0, commentStart(body)).trim()
    // Shell syntax alone makes a line a command only when it does not open like a sentence ("Then run …").
    const sentence = (): boolean =>
      IMPERATIVE.test(body) || LABEL.test(body) || /^[A-Z][a-z']*\s+[a-z']+\s/.test(body)
    const cmdLike = looksLikeCommand(body) || (strongShell(code) && !sentence())
    if (fence || pre) {
      const shellish = fence !== undefined && SHELL_LANGS.has(fence.lang)
      if (fence?.prompted) isCmd = (prompt !== '' && (!rootPrompt || cmdLike)) || cmdLike
      // Every line of a shell fence is a command, except prose someone typed into it ("Then run …").
      else if (shellish) isCmd = code !== '' && (cmdLike || !sentence())
      else isCmd = cmdLike
      if (!isCmd && code !== '') lineKinds[i] = 'code'
    } else {
      // `$ ` and `user@host:~# ` are prompts whatever follows; a bare `# ` may be a markdown heading.
      isCmd =
        ((prompt.trim() === '$' || prompt.includes('@')) && code !== '' && (cmdLike || !sentence())) ||
        (cmdLike &&
          (quotesBalance(body) || code.endsWith('\\') || strongShell(code) || closesWithin(i, body)))
    }
    if (closesPre) pre = false
    if (isCmd) {
      if (rootPrompt) rootLines.add(i)
      command(i, bodyStart, body)
      continue
    }
    // A sentence in a fence or `<pre>` may still carry a command ("Then run … | sudo bash"): read it as prose.
    if ((fence || (pre && !closesPre)) && !strongShell(line)) continue
    // Prose: inline code spans, then a command after an imperative or a label, then one embedded in a sentence.
    let found = false
    for (const m of line.matchAll(/(`+)([^`]+?)\1/g)) {
      const inner = m[2] ?? ''
      const innerPrompt = PROMPT.exec(inner)?.[1] ?? ''
      const cmd = inner.slice(innerPrompt.length)
      if ((innerPrompt !== '' || looksLikeCommand(cmd) || strongShell(cmd)) && quotesBalance(cmd)) {
        const start = s0 + (m.index ?? 0) + (m[1] ?? '').length + innerPrompt.length
        mark(i, start, start + cmd.length, 'prose')
        masked[i] += ';' // separates two inline commands on one line
        if (innerPrompt.trim().endsWith('#')) rootLines.add(i)
        found = true
      }
    }
    if (found) continue
    // Intros can stack: `Solution - then run …`, `UPDATE 2: just paste this: …`.
    let intro = ''
    let imperative = false
    for (let k = 0; k < 3; k++) {
      const rest = afterLead.slice(intro.length)
      // A label never starts with a program name (`printf 'Package: …'` is a command, not a label).
      const imp = IMPERATIVE.exec(rest)?.[1]
      const label = imp === undefined && !looksLikeCommand(rest) ? LABEL.exec(rest)?.[1] : undefined
      const step = imp ?? label
      if (step === undefined) break
      intro += step
      if (imp !== undefined) {
        imperative = true
        break
      }
    }
    if (intro !== '') {
      const rest = afterLead.slice(intro.length)
      const restPrompt = PROMPT.exec(rest)?.[1] ?? ''
      const cmd = rest.slice(restPrompt.length)
      if (
        (imperative && cmd.trim() !== '' && /^[\w./~$({`'"\\-]/.test(cmd)) ||
        looksLikeCommand(cmd) ||
        strongShell(cmd)
      ) {
        const start = s0 + lead.length + intro.length + restPrompt.length
        const end = start + sentenceEnd(cmd)
        mark(i, start, end, 'prose')
        if (restPrompt.trim().endsWith('#')) rootLines.add(i)
        if (end >= raw.length) {
          // The command runs to the end of the line: what it opens (a here-doc, a continuation) goes on below.
          const code = cmd.slice(0, commentStart(cmd))
          continuing = code.endsWith('\\') && code === cmd
          heredoc = heredocTerminator(cmd)
          if (!quotesBalance(cmd)) isolate.add(i)
        }
        continue
      }
    }
    // A command inside a sentence ("… so I ran curl https://x | sudo bash and it worked"): from the first known
    // program word, when what follows shows shell syntax.
    if (strongShell(line)) {
      for (const m of line.matchAll(/(?:^|\s)([a-z][\w.-]*)/g)) {
        const at = (m.index ?? 0) + m[0].length - (m[1] ?? '').length
        const rest = line.slice(at)
        if (!COMMAND_WORDS.has(m[1] ?? '') || !strongShell(rest)) continue
        const end = at + sentenceEnd(rest)
        mark(i, s0 + at, s0 + end, 'prose')
        isolate.add(i)
        break
      }
    }
  }

  // Regions: runs of consecutive lines with command text (an isolated line is a region of its own).
  const regions: ShellRegion[] = []
  let startLine = -1
  for (let i = 0; i <= lines.length; i++) {
    const has = i < lines.length && (commandSpans[i]?.length ?? 0) > 0
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
  return { lines, lineOffsets, lineKinds, commandSpans, regions, signed, rootLines }
}
