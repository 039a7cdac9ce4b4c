/**
 * How one line of a paste reads to bash and to a person: its markdown furniture and prompt, whether it starts like a
 * command or shows shell syntax, where bash's comment starts, whether its quotes balance, and what it leaves open
 * for the lines below (a continuation, a here-doc). segment.ts uses these to find the commands in a paste.
 */

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

/** Leading markdown furniture: blockquote marks, list bullets, numbered or lettered steps. */
const LEAD =
  /^(\s*(?:>\s?)*(?:[-*+•→▶]\s+|\d{1,2}[.)]\s+|[a-z][.)]\s+|\[\d{1,2}\]\s+|step\s+\d{1,2}\s*[:.)-]\s*)?)/i
/** A shell prompt: `$ `, `# `, `user@host:~$ `, `root@host:/# `, `(venv) $ `. */
export const PROMPT = /^((?:\(\w[\w.-]*\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?)?[$#]\s+)/
/** Imperative prose that introduces a command: `Then run …`, `Just type …`, `Next, execute: …`. */
export const IMPERATIVE =
  /^((?:(?:then|now|next|and|just|simply|please|first|finally|also|after that|afterwards|quickly)[,:]?\s+){0,3}(?:run|type|execute|paste|enter|try|do)(?:\s+this|\s+the following|\s+it)?\s*:?\s+)/i
/** A short label before a colon (`Fix: …`, `UPDATE 2: …`, `Solution - …`): at most four words. */
export const LABEL = /^((?:[\p{L}\p{N}()'’-]+\s+){0,3}?[\p{L}\p{N}()'’-]+\s*(?::|\s-|—)\s+)/u
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
export function quotesBalance(s: string): boolean {
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
export function heredocTerminator(s: string): string | undefined {
  const code = s.slice(0, commentStart(s))
  const m = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(code.replace(/<<</g, '   '))
  return m?.[2]
}

/** Where a command embedded in a sentence ends: before ` and `, ` then `, or a full stop that ends the sentence. */
export function sentenceEnd(s: string): number {
  const m =
    /\s+(?:and then|and|then|before|after|to make|so that|which|because)\s+(?=[a-z])|[.!?](?=\s+[A-Z]|\s*$)/.exec(
      s.slice(0, commentStart(s)),
    )
  return m ? m.index : s.length
}

/** True when the code part of `s` ends with a backslash, so bash reads on into the next line. */
export function endsWithContinuation(s: string): boolean {
  const code = s.slice(0, commentStart(s))
  return code.endsWith('\\') && code === s
}

/** A line cut into its markdown furniture (`- `, `1. `, `> `), its prompt (`$ `, `root@host:~# `) and the rest. */
export interface LineParts {
  readonly lead: string
  /** The prompt, two of them when one was copied in front of another (`$ root@box:~# `): both go. */
  readonly prompt: string
  readonly body: string
  /** The prompt ends with `#`: bash runs the body as root. */
  readonly rootPrompt: boolean
}

/** Cuts `line` into furniture, prompt and body. */
export function linePartsOf(line: string): LineParts {
  const lead = LEAD.exec(line)?.[1] ?? ''
  const afterLead = line.slice(lead.length)
  const p1 = PROMPT.exec(afterLead)?.[1] ?? ''
  const prompt = p1 + (p1 !== '' ? (PROMPT.exec(afterLead.slice(p1.length))?.[1] ?? '') : '')
  return { lead, prompt, body: afterLead.slice(prompt.length), rootPrompt: prompt.trim().endsWith('#') }
}
