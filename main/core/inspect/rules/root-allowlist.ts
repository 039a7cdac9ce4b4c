/**
 * Default-deny for anything run as root: the administrative actions Lifeline knows to be safe.
 *
 * A command that runs as root (sudo, doas, pkexec, `su -c`, a `#` prompt, a root shell's script) and is not on
 * this list gets `unknown-root-command` naming the program, unless another rule already said what is wrong with
 * it. The list is short on purpose: the checker cannot know every program, so what it does not know is never
 * called safe (docs/inspect.md, "Default-deny for root").
 */
import type { SimpleCommand } from '../command-model'
import type { RuleContext } from './context'
import { SHELLS } from './download-run'
import { APT } from './packages'
import { MODPROBE_PATH } from './system'

/** apt subcommands that only use configured, signed sources or only read (apt(8), apt-get(8)). */
const APT_SAFE =
  /^(update|upgrade|full-upgrade|dist-upgrade|install|reinstall|autoremove|autoclean|clean|check|list|policy|show|showsrc|search|changelog|depends|rdepends|download)$/
/** Read-only diagnostics: safe as root when they write nowhere. */
const READ_ONLY = new Set([
  'cat',
  'less',
  'more',
  'head',
  'tail',
  'grep',
  'egrep',
  'zgrep',
  'ls',
  'stat',
  'file',
  'wc',
  'journalctl',
  'dmesg',
  'lsof',
  'ss',
  'netstat',
  'aa-status',
  'apparmor_status',
  'uname',
  'lsb_release',
  'debsums',
  'ubuntu-security-status',
  'lshw',
  'lsmod',
  'modinfo',
  'lsblk',
  'df',
  'du',
  'free',
  'uptime',
  'id',
  'whoami',
  'hostnamectl',
  'timedatectl',
  'dpkg-query',
  'apt-cache',
  'apt-config',
  'apt-listchanges',
  'checkrestart',
  'needrestart',
  'unattended-upgrade',
  'unattended-upgrades',
  'lifeline',
  'true',
  'echo',
  'printf',
])

/** The files a command writes by redirect or `tee` (its other writes, cp or `sed -i`, have rules of their own). */
function writtenTargets(cmd: SimpleCommand): string[] {
  return [
    ...cmd.redirects.filter((r) => !r.op.startsWith('<')).map((r) => r.target.text),
    ...(cmd.program === 'tee'
      ? cmd.argv
          .slice(1)
          .filter((a) => !a.text.startsWith('-'))
          .map((a) => a.text)
      : []),
  ]
}

/**
 * Default-deny: a root command that is not a known-safe administrative action gets `unknown-root-command`, naming
 * the program and the files it writes.
 */
export function denyUnknownRoot(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  if (allowedAsRoot(cmd, texts)) return
  const written = writtenTargets(cmd).filter((t) => !/^\/dev\/null$/.test(t))
  const what = written.length > 0 ? `\`${cmd.program}\` writing ${written.join(', ')}` : `\`${cmd.program}\``
  ctx.add('unknown-root-command', 'medium', cmd.argv[0]?.span ?? cmd.span, what)
}

/** True when every file this command writes is /dev/null or a harmless modprobe blacklist written from shown text. */
function writesNothingRisky(cmd: SimpleCommand): boolean {
  const targets = writtenTargets(cmd)
  return targets.every(
    (t) =>
      /^\/dev\/(null|stdout|stderr)$/.test(t) ||
      isAptSource(t) ||
      (MODPROBE_PATH.test(t) && cmd.stdin.text !== undefined && isBlacklistOnly(cmd.stdin.text)),
  )
}

/** A software source file: what goes into it is judged by its shape (apt-sources.ts, `mirror-change` or worse). */
function isAptSource(path: string): boolean {
  return /^\/etc\/apt\/sources\.list(\.d\/[\w.-]+\.(list|sources))?$/.test(path)
}

/** A modprobe.d file that only keeps modules from loading (`blacklist x`, `install x /bin/false`), modprobe.d(5). */
export function isBlacklistOnly(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  return (
    lines.length > 0 &&
    lines.every((l) =>
      /^[ \t]*(blacklist[ \t]+[\w-]+|install[ \t]+[\w-]+[ \t]+\/(usr\/)?bin\/(false|true))[ \t]*$/.test(l),
    )
  )
}

/** True when this root command is a known-safe administrative action. */
export function allowedAsRoot(cmd: SimpleCommand, texts: readonly string[]): boolean {
  const program = cmd.program
  const sub = subcommand(texts)
  if (!writesNothingRisky(cmd) && program !== 'tee') return false
  if (APT.has(program)) return sub === undefined || APT_SAFE.test(sub)
  if (program === 'tee') return writesNothingRisky(cmd)
  if (program === 'dpkg')
    return (
      texts.some((t) =>
        /^(-l|-s|-L|-S|--list|--status|--listfiles|--search|--audit|-C|--configure|-a|--get-selections|--print-architecture|--verify|-V)$/.test(
          t,
        ),
      ) && !texts.some((t) => /^-[a-zA-Z]*i$|^--install$|^--force/.test(t))
    )
  if (program === 'apt-mark') return /^(showhold|showmanual|showauto|unhold|auto|manual)$/.test(sub ?? '')
  if (program === 'pro' || program === 'ua' || program === 'ubuntu-advantage')
    return /^(status|security-status|fix|refresh|attach|enable|api|help|version)$/.test(sub ?? '')
  if (program === 'canonical-livepatch') return /^(status|refresh|enable)$/.test(sub ?? '')
  if (program === 'reboot') return true
  if (program === 'shutdown') return texts.includes('-r')
  if (program === 'systemctl')
    return /^(restart|try-restart|reload|reload-or-restart|try-reload-or-restart|status|daemon-reload|is-active|is-enabled|is-failed|list-units|list-timers|list-unit-files|show|cat|reboot)$/.test(
      sub ?? '',
    )
  if (program === 'service') return /^(restart|reload|status|try-restart|force-reload)$/.test(texts[1] ?? '')
  if (program === 'snap') return /^(refresh|list|info|changes|version|connections|services)$/.test(sub ?? '')
  if (program === 'update-initramfs') return texts.includes('-u')
  if (program === 'update-grub' || program === 'update-grub2' || program === 'do-release-upgrade') return true
  // Enabling one of Ubuntu's own components (add-apt-repository(1)); any other repository already got a finding.
  if (program === 'add-apt-repository' || program === 'apt-add-repository')
    return texts
      .filter((t) => !t.startsWith('-'))
      .every((t) => /^(main|universe|multiverse|restricted)$/.test(t))
  if (program === 'rm') {
    // Removing a software source again (Lifeline's own last step removes its temporary source), or apt's downloaded
    // package lists after a hash-sum mismatch (apt downloads and verifies them again).
    const files = texts.filter((t) => !t.startsWith('-'))
    return (
      files.length > 0 &&
      files.every(
        (t) =>
          (/^\/etc\/apt\/sources\.list\.d\/[\w.-]+\.(list|sources)$/.test(t) &&
            !texts.some((o) => /^-[a-zA-Z]*r|^--recursive/.test(o))) ||
          /^\/var\/lib\/apt\/lists\/(\*|partial\/?\*?|[\w.-]+)$/.test(t),
      )
    )
  }
  // An interactive root shell (`sudo -i`, `sudo su`): what is typed into it is judged line by line.
  if (SHELLS.has(program) && cmd.argv.length === 1 && cmd.stdin.text === undefined && !cmd.stdin.download)
    return true
  // A root shell whose script the paste shows (`sudo sh -c '…'`, a here-doc): its commands were judged one by one.
  if (SHELLS.has(program)) {
    const c = cmd.argv.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a.text))
    const code = c > 0 ? cmd.argv[c + 1] : undefined
    if (code ? !code.dynamic || code.flow.text !== undefined : cmd.stdin.text !== undefined) return true
  }
  if (program === ':') return true
  // `sed -i` on the source files only: a mirror switch, judged by the host it writes (apt-sources.ts).
  if (program === 'sed')
    return (
      texts.some((t) => /^-[a-zA-Z]*i|^--in-place/.test(t)) &&
      cmd.argv.slice(2).some((a) => isAptSource(a.text)) &&
      cmd.argv
        .slice(2)
        .every(
          (a, k) =>
            k === 0 || a.text.startsWith('-') || isAptSource(a.text) || cmd.argv[k + 1]?.text === '-e',
        )
    )
  return READ_ONLY.has(program)
}

/** The first word that is not an option or an option's value (`apt-get -y -o X=Y dist-upgrade` → `dist-upgrade`). */
function subcommand(texts: readonly string[]): string | undefined {
  for (let k = 0; k < texts.length; k++) {
    const t = texts[k] ?? ''
    if (/^(-o|-c|-t|--option|--config-file|--target-release)$/.test(t)) k++
    else if (!t.startsWith('-')) return t
  }
  return undefined
}

/** Ordinary apt use and read-only diagnostics: never `dangerous`, and fine beside a verified fix. */
export function isOrdinary(cmd: SimpleCommand, texts: readonly string[]): boolean {
  const program = cmd.program
  const sub = subcommand(texts)
  if (APT.has(program)) {
    if (
      /^(update|upgrade|full-upgrade|dist-upgrade|list|policy|show|changelog|search|autoremove|clean|autoclean|check)$/.test(
        sub ?? '',
      )
    )
      return true
    return (
      ((sub === 'install' || sub === 'reinstall') &&
        // `--only-upgrade`, or every package pinned to a version (`pkg=1.2-3`): knownFixes then decides.
        (texts.includes('--only-upgrade') ||
          texts
            .filter((t) => !t.startsWith('-') && t !== sub)
            .every((t) => /^[a-z0-9][a-z0-9+.:-]*=[\w.+~:-]+$/.test(t)))) ||
      sub === undefined
    )
  }
  if (
    /^(apt-cache|dpkg-query|lsb_release|uname|reboot|needrestart|uptime|df|free|journalctl|dmesg|whoami|id|hostnamectl|ls|grep|head|tail|debsums|ubuntu-security-status|apt-listchanges|do-release-upgrade|lifeline)$/.test(
      program,
    )
  )
    return true
  if (program === 'dpkg')
    return (
      texts.some((t) =>
        /^(-l|-s|-L|--list|--status|--listfiles|--audit|-C|--configure|-a|--get-selections|--print-architecture)$/.test(
          t,
        ),
      ) && !texts.some((t) => /^-[a-zA-Z]*i$|^--install$/.test(t))
    )
  if (program === 'cat' || program === 'less' || program === 'more') return cmd.redirects.length === 0
  if (program === 'systemctl')
    return /^(status|list-units|list-timers|is-active|is-enabled|restart|daemon-reload)$/.test(sub ?? '')
  if (program === 'pro' || program === 'ubuntu-advantage')
    return /^(status|security-status|fix|refresh)$/.test(sub ?? '')
  if (program === 'snap') return /^(list|info|refresh|changes|version)$/.test(sub ?? '')
  if (program === 'unattended-upgrade' || program === 'unattended-upgrades') return true
  if (program === 'shutdown') return true
  return false
}
