/**
 * Splits pasted text into prose, shell commands, other code and clearsigned armor.
 *
 * Commands are recognised the way a reader would: inside code fences, after a `$ ` prompt, in inline code spans, or as
 * a line (or the text after `Fix: `) that starts with a known command word. Everything that is not command text is
 * masked with spaces, so the shell parser sees each command at its original line and column.
 */
import type { LineKind } from './types'

/** Program names that make a line read as a command when it starts with one. */
export const COMMAND_WORDS: ReadonlySet<string> = new Set(
  (
    'sudo su doas pkexec run0 env nohup exec nice timeout time xargs setsid chroot stdbuf command builtin ' +
    'curl wget aria2c fetch http https nc ncat socat scp rsync git ' +
    'apt apt-get apt-key apt-cache apt-mark aptitude dpkg dpkg-query dpkg-reconfigure add-apt-repository gdebi ' +
    'snap flatpak pip pip3 pipx npm npx yarn gem cargo go make cmake ' +
    'sh bash zsh dash ksh fish busybox python python2 python3 perl ruby node php lua eval source . ' +
    'echo printf cat tee sed awk tr cut grep egrep head tail sort uniq wc base64 xxd openssl gpg gpg2 ' +
    'chmod chown chgrp chattr rm mv cp ln mkdir touch install dd tar unzip gunzip zcat xz find ' +
    'systemctl service journalctl ufw iptables nft aa-disable aa-complain aa-teardown aa-status apparmor_parser ' +
    'setenforce getenforce crontab at visudo usermod useradd passwd chpasswd ssh ssh-keygen ssh-copy-id ' +
    'export unset alias cd ls ll ps top htop kill pkill killall reboot shutdown poweroff uname lsb_release ' +
    'hostnamectl timedatectl whoami id df du free uptime dmesg lsof ss netstat ip ping dig nslookup ' +
    'sysctl modprobe mount umount ldconfig update-grub update-alternatives do-release-upgrade ' +
    'unattended-upgrade unattended-upgrades needrestart pro ubuntu-advantage canonical-livepatch ' +
    'docker podman nerdctl lxc multipass which debsums adduser newusers kernelstub grubby resolvectl nmcli'
  ).split(' '),
)

/** Fence info strings that mean "shell". An unlabelled fence is judged line by line. */
const SHELL_LANGS = new Set([
  'sh',
  'bash',
  'shell',
  'console',
  'terminal',
  'zsh',
  'shellsession',
  'shell-session',
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
}

const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----'
const BEGIN_SIG = '-----BEGIN PGP SIGNATURE-----'
const END_SIG = '-----END PGP SIGNATURE-----'

/** Leading markdown furniture: blockquote marks, list bullets, numbered steps. */
const LEAD = /^(\s*(?:>\s?)*(?:[-*+•]\s+|\d{1,2}[.)]\s+|step\s+\d+[:.]\s*)?)/i
/** A shell prompt: `$ `, `# `, `user@host:~$ `, `root@host:/# `. */
const PROMPT = /^((?:\(\w[\w.-]*\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?)?[$#]\s+)/

/** The first word of a candidate command (skipping `VAR=value` prefixes). */
function firstWord(s: string): string {
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)*([^\s;|&()<>`]+)/.exec(s)
  return m?.[1] ?? ''
}

/** True when `s` starts like a command: a known program, a path to a program, or a subshell. */
export function looksLikeCommand(s: string): boolean {
  // Subshells, groups and substitutions used as commands: `(cd /tmp; …)`, `{ …; }`, `` `…` ``, `$(…)`.
  const opened = /^(?:[({]\s*|`|\$\()+/.exec(s)
  if (opened) return looksLikeCommand(s.slice(opened[0].length))
  const w = firstWord(s)
  if (COMMAND_WORDS.has(w)) return true
  if (/^(\.{0,2}\/|~\/)[\w./-]+$/.test(w)) return true
  return /^[A-Za-z_][A-Za-z0-9_]*=\S/.test(s) && /^\s*[A-Za-z_][A-Za-z0-9_]*=(?:\$\(|`)/.test(s)
}

/** Cheap check that quotes balance, so one stray apostrophe in prose cannot swallow the lines after it. */
function quotesBalance(s: string): boolean {
  let single = false,
    double = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '\\' && !single) i++
    else if (c === "'" && !double) single = !single
    else if (c === '"' && !single) double = !double
  }
  return !single && !double
}

/** The heredoc terminator a command line opens, if any (`<<EOF`, `<<-'EOF'`, `<< "END"`). */
function heredocTerminator(s: string): string | undefined {
  const m = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(s.replace(/<<</g, '   '))
  return m?.[2]
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

  // Pass 2: fences, prompts, command lines, inline code.
  let fence: { marker: string; lang: string; prompted: boolean } | undefined
  let continuing = false
  let heredoc: string | undefined
  const mark = (i: number, start: number, end: number, kind: LineKind): void => {
    const line = lines[i] ?? ''
    lineKinds[i] = kind
    commandSpans[i]?.push([start, end])
    masked[i] = (masked[i] ?? '').padEnd(start, ' ') + line.slice(start, end)
  }
  for (let i = 0; i < lines.length; i++) {
    if (lineKinds[i] === 'signed-armor') {
      fence = undefined
      continuing = false
      heredoc = undefined
      continue
    }
    const raw = lines[i] ?? ''
    const s0 = skip[i] ?? 0
    const line = raw.slice(s0)
    const fenceM = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line)
    if (fenceM) {
      const marker = fenceM[1] ?? '```'
      if (fence && line.trim().startsWith(fence.marker)) fence = undefined
      else if (!fence) {
        let prompted = false
        for (let j = i + 1; j < lines.length && !(lines[j] ?? '').trim().startsWith(marker); j++) {
          if (PROMPT.test((lines[j] ?? '').trimStart())) prompted = true
        }
        fence = { marker, lang: (fenceM[2] ?? '').toLowerCase(), prompted }
      }
      lineKinds[i] = 'code'
      continuing = false
      heredoc = undefined
      continue
    }
    // A continued line or heredoc body belongs to the command above it, whatever it looks like.
    if (continuing || heredoc !== undefined) {
      mark(i, s0, raw.length, 'command')
      if (heredoc !== undefined) {
        if (line.trim() === heredoc) heredoc = undefined
      } else {
        continuing = line.endsWith('\\')
        heredoc = heredocTerminator(line)
      }
      continue
    }
    const lead = LEAD.exec(line)?.[1] ?? ''
    const afterLead = line.slice(lead.length)
    const prompt = PROMPT.exec(afterLead)?.[1] ?? ''
    const body = afterLead.slice(prompt.length)
    const bodyStart = s0 + lead.length + prompt.length
    let isCmd = false
    if (fence) {
      const shellish = SHELL_LANGS.has(fence.lang)
      if (fence.prompted) isCmd = prompt !== '' && (prompt.trim() !== '#' || looksLikeCommand(body))
      else if (shellish) isCmd = body.trim() !== '' && !body.trimStart().startsWith('#')
      else if (fence.lang === '') isCmd = looksLikeCommand(body)
      if (!isCmd) lineKinds[i] = 'code'
    } else {
      isCmd =
        (prompt.trim() === '$' || looksLikeCommand(body)) && (quotesBalance(body) || body.endsWith('\\'))
    }
    if (isCmd) {
      mark(i, bodyStart, raw.length, 'command')
      continuing = body.endsWith('\\')
      heredoc = heredocTerminator(body)
      continue
    }
    if (fence) continue
    // Prose: inline code spans, then "…: command" after a colon.
    let found = false
    for (const m of line.matchAll(/(`+)([^`]+?)\1/g)) {
      const inner = m[2] ?? ''
      const innerPrompt = PROMPT.exec(inner)?.[1] ?? ''
      const cmd = inner.slice(innerPrompt.length)
      if ((innerPrompt !== '' || looksLikeCommand(cmd)) && quotesBalance(cmd)) {
        const start = s0 + (m.index ?? 0) + (m[1] ?? '').length + innerPrompt.length
        mark(i, start, start + cmd.length, 'prose')
        masked[i] += ';' // separates two inline commands on one line
        found = true
      }
    }
    if (!found) {
      const colon = /:\s+/.exec(line)
      if (colon) {
        const rest = line.slice(colon.index + colon[0].length)
        if (looksLikeCommand(rest) && quotesBalance(rest)) {
          mark(i, s0 + colon.index + colon[0].length, raw.length, 'prose')
          commandSpans[i] = commandSpans[i] ?? []
        }
      }
    }
  }

  // Regions: runs of consecutive lines with command text.
  const regions: ShellRegion[] = []
  let startLine = -1
  for (let i = 0; i <= lines.length; i++) {
    const has = i < lines.length && (commandSpans[i]?.length ?? 0) > 0
    if (has && startLine < 0) startLine = i
    if (!has && startLine >= 0) {
      regions.push({ line: startLine, text: masked.slice(startLine, i).join('\n') })
      startLine = -1
    }
  }
  return { lines, lineOffsets, lineKinds, commandSpans, regions, signed }
}
