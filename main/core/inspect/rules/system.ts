/**
 * Rule family "system and persistence": protections turned off, accounts, setuid bits and capabilities, kernel
 * modules and the kernel command line, name resolution, and containers started with the host's powers.
 *
 * Every regex here runs on attacker-chosen text (up to 1 MB), so each is linear-time: bounded or non-overlapping
 * quantifiers only (test/security/review-inspect-redos-takeover.test.ts times them on adversarial input).
 */
import type { SimpleCommand, Span, Word } from '../command-model'
import { APT } from './packages'
import type { RuleContext } from './context'
import { isPrivateIpv4Prefix } from '../domains'
import { INTERPRETERS, SHELLS } from './download-run'

const PROTECTIONS =
  /^(apparmor|ufw|firewalld|auditd|fail2ban|clamav-daemon|clamav-freshclam|snapd\.apparmor|selinux|iptables|netfilter-persistent|nftables|ssh-guard|sshguard|crowdsec)(\.service)?$/
const AUTO_UPDATES = /^(unattended-upgrades|apt-daily(-upgrade)?(\.timer|\.service)?)(\.service)?$/
/** The system's own folders (not a user's home or /tmp): a write there changes the machine for everyone. */
export const SYSTEM_DIR = /^\/($|etc|usr|bin|sbin|lib|lib64|boot|var|opt|root|srv)(\/|$)/

/**
 * Kernel command-line parameters that turn a protection off (kernel-parameters.txt): the LSMs (`apparmor=0`,
 * `apparmor.enabled=0`, `security=none`, `selinux=0`, `enforcing=0`), lockdown, module signature enforcement,
 * KASLR and the CPU vulnerability mitigations.
 */
export const KERNEL_OFF =
  /(?<![\w.-])(apparmor=0|apparmor\.enabled=0|security=none|selinux=0|enforcing=0|lockdown=none|module\.sig_enforce=0|nokaslr|mitigations=off)(?![\w.-])/

/** A modprobe.d(5) line that keeps a protection module from loading: `blacklist apparmor`, `install apparmor /bin/true`. */
export const MODPROBE_OFF =
  /^[ \t]*(?:blacklist|install)[ \t]+(apparmor|selinux|yama|landlock|tomoyo|ip_tables|iptable_filter|nf_tables|x_tables)\b|^[ \t]*options[ \t]+apparmor[ \t]+enabled=0\b/m

/** IPv4 literals (a dotted quad not glued to other words or dots). */
const IPV4_G = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.])/g

/** Public resolvers people recommend in good faith; pointing DNS at them is worth a look, not an alarm. */
const WELL_KNOWN_RESOLVERS = new Set([
  '1.1.1.1',
  '1.0.0.1',
  '8.8.8.8',
  '8.8.4.4',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
])

/** Capabilities that are administrator rights in all but name (capabilities(7)). */
const ROOT_CAPS =
  /cap_(setuid|setgid|sys_admin|sys_module|sys_ptrace|sys_rawio|dac_override|dac_read_search|chown|fowner|setfcap|setpcap|bpf|net_admin)|^(all|=ep|=eip)|[=+]all/i

/** Where the system resolver reads its name servers (resolv.conf(5), resolved.conf(5), resolvconf(8)). */
const RESOLVER_PATH =
  /^\/etc\/resolv\.conf$|^\/run\/systemd\/resolve\/(stub-)?resolv\.conf$|^\/etc\/systemd\/resolved\.conf(\.d\/.*)?$|^\/etc\/resolvconf\/resolv\.conf\.d\/|^\/etc\/NetworkManager\/conf\.d\/|^\/etc\/netplan\//
/** Where the kernel command line is kept (GRUB, kernelstub on Pop!_OS, Raspberry Pi firmware, systemd-boot). */
const CMDLINE_PATH =
  /^\/etc\/default\/grub(\.d\/.*)?$|^\/etc\/kernel\/cmdline$|^\/boot\/(firmware\/)?cmdline\.txt$|^\/etc\/kernelstub\/configuration$|^\/boot\/grub\/grub\.cfg$/
/** modprobe.d(5). */
export const MODPROBE_PATH = /^\/(etc|lib|usr\/lib)\/modprobe\.d\/|^\/etc\/modprobe\.conf$/
/** A uid or gid field of 0 in a passwd(5) line (`name:x:0:0:…`) or a sed script editing one. */
const ZERO_ID = /:0+:/

/** Which part of the kernel a parameter turns off, for the message. */
function kernelWhat(param: string): string {
  if (param.startsWith('apparmor')) return 'AppArmor'
  if (param === 'selinux=0' || param === 'enforcing=0') return 'SELinux'
  if (param === 'security=none') return "the kernel's security modules (AppArmor)"
  if (param === 'lockdown=none') return 'kernel lockdown'
  if (param === 'module.sig_enforce=0') return 'the check that kernel modules are signed'
  if (param === 'nokaslr') return 'kernel address randomisation'
  return 'the protections against CPU security flaws'
}

/** The kernel parameter in `text` that turns a protection off, if any. */
export function kernelParamOff(text: string): string | undefined {
  return KERNEL_OFF.exec(text)?.[1]
}

/** The subject of a kernel-parameter finding. */
export function kernelParamWhat(param: string): string {
  return `${kernelWhat(param)} from the next boot on`
}

/** A span from `a` to `b` when both are on one line, else `a`'s. */
function join(a: Word, b: Word | undefined): Span {
  if (!b || b.span.line !== a.span.line || b.span.end < a.span.start) return a.span
  return { line: a.span.line, start: a.span.start, end: b.span.end }
}

/** How risky a DNS server address is: a stranger's public server, a well-known resolver, or this network's own. */
export function dnsServerKind(ip: string): 'public' | 'well-known' | 'local' | 'blackhole' {
  if (WELL_KNOWN_RESOLVERS.has(ip)) return 'well-known'
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip)
  if (!m) return 'public'
  const a = Number(m[1])
  const b = Number(m[2])
  if (ip === '0.0.0.0') return 'blackhole'
  // RFC 1918 private ranges, loopback (the systemd-resolved stub 127.0.0.53), link-local, and CGNAT (RFC 6598):
  // a resolver there is the network's own.
  if (isPrivateIpv4Prefix(a, b) || (a === 100 && b >= 64 && b <= 127)) return 'local'
  return 'public'
}

/** Every IPv4 literal in `text` (octets up to 255), in order. */
export function ipv4s(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(IPV4_G)) {
    if ([m[1], m[2], m[3], m[4]].every((o) => Number(o) <= 255)) out.push(m[0])
  }
  return out
}

/** Judges name servers given as `ips`; `tainted` means the content was downloaded or decoded, not shown. */
function dnsFinding(ctx: RuleContext, ips: readonly string[], span: Span, tainted: boolean): void {
  if (ips.map(dnsServerKind).includes('public') || tainted) ctx.add('dns-hijack', 'high', span)
  else ctx.add('dns-hijack', 'medium', span, 'to a server you should check you trust')
}

/**
 * Writes to files that decide accounts, name resolution, the kernel command line, kernel modules and the dynamic
 * linker. Returns false when `path` is none of them.
 */
export function systemWrite(
  path: string,
  flow: { readonly text?: string | undefined; readonly download: boolean; readonly decoded: boolean },
  span: Span,
  ctx: RuleContext,
): boolean {
  const text = flow.text ?? ''
  const hidden = flow.download || flow.decoded
  const shown = flow.text !== undefined && !hidden
  if (/^\/etc\/(passwd|passwd-)$/.test(path)) {
    if (ZERO_ID.test(text) || hidden) ctx.add('root-account', 'high', span)
    else
      ctx.add(
        'root-account',
        'medium',
        span,
        'the list of user accounts, edited directly instead of with the usual tools',
      )
    return true
  }
  if (/^\/etc\/(shadow|gshadow|shadow-)$/.test(path)) {
    ctx.add('root-account', 'high', span, 'stored passwords, possibly set to one whoever wrote this knows')
    return true
  }
  if (path === '/etc/group') {
    if (/^(root|sudo|admin|wheel):/m.test(text))
      ctx.add('sudoers', 'high', span, 'a user added to an administrator group')
    return /^(root|sudo|admin|wheel):/m.test(text)
  }
  if (RESOLVER_PATH.test(path)) {
    dnsFinding(ctx, ipv4s(text), span, hidden)
    return true
  }
  if (path === '/etc/hosts') {
    if (/ubuntu\.com|canonical\.com|launchpad/.test(text)) {
      ctx.add('new-apt-source', 'high', span, "Ubuntu's own server names sent to another machine")
      return true
    }
    const ips = ipv4s(text).map(dnsServerKind)
    if (ips.includes('public') || ips.includes('well-known') || hidden)
      ctx.add('dns-hijack', 'high', span, 'for these site names, to a machine that can pretend to be them')
    // `127.0.1.1 myhost` (the usual "unable to resolve host" fix) and LAN names are ordinary.
    else if (!shown) ctx.add('dns-hijack', 'medium', span, 'for names this text does not show')
    return true
  }
  if (CMDLINE_PATH.test(path)) {
    const param = kernelParamOff(text)
    if (param) ctx.add('disable-protection', 'high', span, kernelParamWhat(param))
    return param !== undefined
  }
  if (MODPROBE_PATH.test(path)) {
    const m = MODPROBE_OFF.exec(text)
    if (m) ctx.add('disable-protection', 'high', span, `the ${m[1] ?? 'apparmor'} kernel module`)
    else if (
      hidden ||
      (/^[ \t]*install\b/m.test(text) &&
        !/^[ \t]*install[ \t]+\S+[ \t]+\/bin\/(false|true)[ \t]*$/m.test(text))
    )
      ctx.add(
        'kernel-module',
        'high',
        span,
        'commands (modprobe.d `install` lines) that run whenever a module loads',
      )
    return m !== null || hidden
  }
  if (path === '/etc/ld.so.preload') {
    ctx.add('ld-preload', 'high', span, 'a library into every program on the system')
    return true
  }
  if (/^\/etc\/ld\.so\.conf(\.d\/.*)?$/.test(path)) {
    ctx.add('ld-preload', 'high', span, `libraries from ${ld(text)} (a new linker path)`)
    return true
  }
  if (/^\/(usr\/)?lib\/modules\//.test(path)) {
    ctx.add('kernel-module', 'high', span)
    return true
  }
  return false
}

/** The first folder an ld.so.conf text adds, for the message. */
function ld(text: string): string {
  const first = text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim()
  return first ? `\`${first.slice(0, 60)}\`` : 'a folder this text does not show'
}

/** Protections, accounts, setuid/capabilities, kernel modules, DNS, kernel parameters, containers. */
export function systemRules(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  protectionCommand(cmd, texts, ctx)
  privilegeCommand(cmd, texts, ctx)
  accountCommand(cmd, ctx)
  kernelParamCommand(cmd, ctx)
  dnsCommand(cmd, ctx)
  containerCommand(cmd, ctx)
}

/** Services stopped, firewalls flushed, AppArmor/SELinux off, kernel hardening off, protections removed or held. */
function protectionCommand(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  const off = (w: Word | undefined, what: string): void =>
    ctx.add('disable-protection', 'high', (w ?? { span: cmd.span }).span, what)
  if (program === 'systemctl' || program === 'service') serviceStopped(cmd, texts, ctx)
  else if (
    program === 'ufw' &&
    (texts[0] === 'disable' || (texts[0] === 'default' && texts[1] === 'allow' && texts[2] !== 'outgoing'))
  )
    off(args[0], 'the firewall')
  else if (program === 'setenforce' && /^(0|permissive)$/i.test(texts[0] ?? '')) off(args[0], 'SELinux')
  else if (program === 'aa-teardown' || program === 'aa-disable' || program === 'aa-complain')
    off(cmd.argv[0], 'AppArmor')
  else if (program === 'apparmor_parser' && texts.some((t) => t === '-R' || t === '--remove'))
    off(cmd.argv[0], 'AppArmor')
  else if (
    (program === 'iptables' || program === 'ip6tables') &&
    texts.some((t) => t === '-F' || t === '--flush' || t === '-P')
  ) {
    if (texts.includes('ACCEPT') || texts.includes('-F') || texts.includes('--flush'))
      off(args[0], 'the firewall rules')
  } else if (program === 'nft' && texts.join(' ').includes('flush ruleset'))
    off(args[0], 'the firewall rules')
  else if (
    program === 'sysctl' &&
    texts.some((t) =>
      /randomize_va_space\s*=\s*0|ptrace_scope\s*=\s*0|kptr_restrict\s*=\s*0|dmesg_restrict\s*=\s*0/.test(t),
    )
  )
    off(args[0], 'kernel hardening')
  else if (
    (APT.has(program) || program === 'snap') &&
    /^(remove|purge|autoremove)$/.test(texts.find((t) => !t.startsWith('-')) ?? '')
  ) {
    for (const a of args)
      if (/^(apparmor|ufw|apparmor-utils|firewalld|auditd|unattended-upgrades)$/.test(a.text)) off(a, a.text)
  } else if (program === 'apt-mark' && texts[0] === 'hold')
    ctx.add(
      'disable-protection',
      'medium',
      cmd.span,
      'security updates for these packages (they are held back)',
    )
}

/** `systemctl stop|disable|mask|kill` (or `service X stop`) of a protection or of automatic updates. */
function serviceStopped(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const args = cmd.argv.slice(1)
  const service = cmd.program === 'service'
  const verb = service ? texts[1] : texts.find((t) => !t.startsWith('-'))
  if (!verb || !/^(stop|disable|mask|kill)$/.test(verb)) return
  const units = service ? args.slice(0, 1) : args.filter((a) => !a.text.startsWith('-') && a.text !== verb)
  for (const u of units) {
    if (PROTECTIONS.test(u.text))
      ctx.add('disable-protection', 'high', u.span, u.text.replace(/\.service$/, ''))
    else if (AUTO_UPDATES.test(u.text))
      ctx.add(
        'disable-protection',
        'medium',
        u.span,
        'automatic security updates (turn them back on once you are done)',
      )
  }
}

/** Who is administrator and what runs with its rights: setuid bits, capabilities, modules, sudoers, cron. */
function privilegeCommand(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const program = cmd.program
  const span = cmd.span
  if (program === 'chmod' || (program === 'install' && texts.includes('-m'))) chmod(cmd, texts, ctx)
  else if (program === 'setcap') setcap(cmd, texts, ctx)
  else if (
    program === 'insmod' ||
    (program === 'modprobe' &&
      !texts.some((t) => /^-[a-zA-Z]*r|^--remove|^-n$|^--dry-run|^-c$|^--show/.test(t)))
  )
    kernelModule(cmd, ctx)
  else if (
    program === 'usermod' &&
    texts.some((t) => /^-[a-zA-Z]*G/.test(t)) &&
    texts.some((t) => /(^|,)(sudo|admin|wheel|root)(,|$)/.test(t))
  )
    ctx.add('sudoers', 'medium', span, 'a user given administrator rights')
  else if (program === 'visudo')
    ctx.add(
      'sudoers',
      cmd.env.has('EDITOR') || cmd.env.has('VISUAL') ? 'high' : 'medium',
      span,
      'edited by hand',
    )
  else if (program === 'crontab' && !texts.some((t) => /^-[lre]$/.test(t)))
    ctx.add('persistence', 'high', span, 'a scheduled task')
  else if ((program === 'at' || program === 'batch') && cmd.stdin.text !== undefined)
    ctx.add('persistence', 'medium', span, 'a task scheduled for later')
  else if (program === 'passwd' && texts.includes('-d'))
    ctx.add('sudoers', 'high', span, 'a password removed, so anyone can log in as that user')
}

/** chmod (and `install -m`): setuid bits, world-writable system files, downloaded files made executable. */
function chmod(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const args = cmd.argv.slice(1)
  const modeIdx =
    cmd.program === 'install' ? texts.indexOf('-m') + 1 : texts.findIndex((t) => !/^-[-a-zA-Z]/.test(t))
  const mode = args[modeIdx]
  if (!mode) return
  const targets =
    cmd.program === 'install' ? [] : args.slice(modeIdx + 1).filter((a) => !a.text.startsWith('-'))
  const m = mode.text
  const octal = /^[0-7]{3,4}$/.test(m) ? m.padStart(4, '0') : undefined
  const setuid = octal
    ? /[2467]/.test(octal[0] ?? '0')
    : /^[ugoa]*[+=][rwxXt]*s/.test(m) || /,[ugoa]*\+[rwx]*s/.test(m)
  const worldW = octal
    ? /[2367]/.test(octal[3] ?? '0') &&
      !(octal[0] === '1' && targets.every((t) => /^\/(var\/)?tmp\/?$/.test(t.text)))
    : /(^|,)[oa]+[+=][rwxX]*w|^\+?[rx]*w/.test(m) && /(^|,)(a|o|ugo|)\+/.test(m) && /[oa]|^\+/.test(m)
  if (setuid) ctx.add('setuid', 'high', mode.span, targets[0] ? `\`${targets[0].text}\`` : undefined)
  if (worldW) {
    const system =
      targets.some((t) => SYSTEM_DIR.test(t.text)) ||
      (texts.some((t) => t === '-R') && targets.some((t) => t.text.startsWith('/')))
    ctx.add('world-writable', system ? 'high' : 'medium', mode.span, system ? undefined : 'these files')
  }
  if (/(^|[^0-7])[0-7]?[157][0-7][0-7]$|\+x|^[ugoa]*\+[rw]*x/.test(m) || /x/.test(m)) {
    for (const t of targets)
      if (ctx.isDownloaded(t.text))
        ctx.add('run-downloaded', 'high', t.span, 'a downloaded file made executable, so it can run')
  }
}

/** setcap(8): file capabilities that amount to root, or any capability on an interpreter or a downloaded file. */
function setcap(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const args = cmd.argv.slice(1).filter((a) => !a.text.startsWith('-'))
  const caps = args[0]
  const file = args[1]
  if (!caps || texts.includes('-r')) return
  const name = (file?.text ?? '').replace(/^.*\//, '').replace(/[\d.]+$/, '')
  const interp = SHELLS.has(name) || INTERPRETERS.has(name) || /^(python|perl|ruby|node|php)/.test(name)
  const what = file ? `\`${file.text}\`` : undefined
  if (ROOT_CAPS.test(caps.text) || interp || (file && ctx.isDownloaded(file.text)))
    ctx.add('capabilities', 'high', caps.span, what)
  else ctx.add('capabilities', 'medium', caps.span, what)
}

/** insmod/modprobe: loading a module this text downloaded or wrote, or a module file from anywhere. */
function kernelModule(cmd: SimpleCommand, ctx: RuleContext): void {
  const target = cmd.argv.slice(1).find((a) => !a.text.startsWith('-'))
  if (!target) return
  if (ctx.written(target.text) !== undefined || ctx.isDownloaded(target.text))
    ctx.add('kernel-module', 'high', target.span)
  else if (cmd.program === 'insmod' || target.text.includes('/') || /\.ko(\.[gx]z|\.zst)?$/.test(target.text))
    ctx.add(
      'kernel-module',
      cmd.program === 'insmod' && !/^\/(usr\/)?lib\/modules\//.test(target.text) ? 'high' : 'medium',
      target.span,
      `\`${target.text}\`, a module file from outside the installed kernel packages,`,
    )
}

/** `useradd/adduser/usermod -u 0` (and `--uid=0`, `-u0`): a second root account (useradd(8) `-o -u 0`). */
function accountCommand(cmd: SimpleCommand, ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  if (program === 'newusers' && cmd.stdin.text !== undefined && ZERO_ID.test(cmd.stdin.text)) {
    ctx.add('root-account', 'high', cmd.span)
    return
  }
  if (!/^(useradd|adduser|usermod|luseradd|lusermod)$/.test(program)) return
  for (let k = 0; k < args.length; k++) {
    const a = args[k]
    if (!a) continue
    let value: string | undefined
    let end: Word | undefined
    if (a.text === '-u' || a.text === '--uid') {
      value = args[k + 1]?.text
      end = args[k + 1]
    } else if (/^-u\d/.test(a.text)) value = a.text.slice(2)
    else if (a.text.startsWith('--uid=')) value = a.text.slice(6)
    if (value !== undefined && /^0+$/.test(value)) {
      ctx.add(
        'root-account',
        'high',
        join(a, end),
        program === 'usermod' || program === 'lusermod'
          ? 'an account given the administrator (root) user number'
          : undefined,
      )
      return
    }
  }
}

/** `kernelstub -a apparmor=0`, `grubby --args=apparmor=0`, `grub-editenv - set kernelopts=… apparmor=0`. */
function kernelParamCommand(cmd: SimpleCommand, ctx: RuleContext): void {
  if (!/^(kernelstub|grubby|grub-editenv|grub2-editenv)$/.test(cmd.program)) return
  for (const a of cmd.argv.slice(1)) {
    const param = kernelParamOff(a.text)
    if (param) {
      ctx.add('disable-protection', 'high', a.span, kernelParamWhat(param))
      return
    }
  }
}

/** `resolvectl dns IFACE IP…`, `nmcli connection modify X ipv4.dns IP`, `systemd-resolve --set-dns=IP`. */
function dnsCommand(cmd: SimpleCommand, ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  const texts = args.map((a) => a.text)
  let servers: Word[] = []
  if (program === 'resolvectl' && texts[0] === 'dns') servers = args.slice(2)
  else if (program === 'nmcli') {
    const i = texts.findIndex((t) => /^(\+|-)?ipv[46]\.dns$/.test(t))
    const v = i >= 0 ? args[i + 1] : undefined
    if (v && !texts[i]?.startsWith('-')) servers = [v]
  } else if (program === 'systemd-resolve') servers = args.filter((a) => a.text.startsWith('--set-dns'))
  const first = servers[0]
  if (!first) return
  dnsFinding(
    ctx,
    servers.flatMap((s) => ipv4s(s.text)),
    join(first, servers[servers.length - 1]),
    false,
  )
}

const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl'])
/** The host side of `--mount type=bind,source=/,target=/host` (`src=` is its short form in docker-run(1)). */
export const MOUNT_SOURCE = /(?:^|,)(?:source|src)=([^,]*)/
/** Host paths whose bind mount gives a container the machine: `/` itself and the system folders. */
const HOST_SYSTEM_PATH = /^\/(etc|root|boot|usr|bin|sbin|lib|lib64|var|proc|sys|dev|run)?$/
const DOCKER_SOCKET = /^\/(var\/)?run\/(docker|podman\/podman|containerd\/containerd)\.sock$/
const ESCAPE_CAPS = /^(CAP_)?(ALL|SYS_ADMIN|SYS_MODULE|SYS_PTRACE|SYS_RAWIO|DAC_READ_SEARCH|DAC_OVERRIDE)$/i

/** Normalises a host path for comparison: `//`, `/./` and trailing slashes removed (`/` stays `/`). */
function normalisePath(path: string): string {
  return (
    '/' +
    path
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .join('/')
  )
}

/**
 * `docker|podman|nerdctl run|create|exec` with the host's powers: `--privileged`, `--pid=host`, a bind mount of `/`
 * or a system folder, the Docker socket, escape capabilities, an unconfined AppArmor/seccomp profile, or a raw disk
 * device. Any of these lets the container's root become the host's root (Docker docs, "Runtime privilege and Linux
 * capabilities").
 */
function containerCommand(cmd: SimpleCommand, ctx: RuleContext): void {
  if (!CONTAINER_TOOLS.has(cmd.program)) return
  const args = cmd.argv.slice(1)
  let i = args.findIndex((a) => !a.text.startsWith('-'))
  if (args[i]?.text === 'container') i++
  const sub = args[i]?.text
  if (sub !== 'run' && sub !== 'create' && sub !== 'exec') return
  const rest = args.slice(i + 1)
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]
    if (!a || a.dynamic) continue
    const t = a.text
    // `--opt=value`, `--opt value`, `-vVALUE`, `-v VALUE`.
    const eq = t.indexOf('=')
    const name = t.startsWith('--') ? (eq > 0 ? t.slice(0, eq) : t) : t.slice(0, 2)
    const inline = t.startsWith('--')
      ? eq > 0
        ? t.slice(eq + 1)
        : undefined
      : t.length > 2
        ? t.slice(2)
        : undefined
    const next = rest[k + 1]
    const value = inline ?? (next && !next.dynamic ? next.text : undefined)
    const span = inline === undefined ? join(a, next) : a.span
    if (name === '--privileged' && !/^(false|0)$/i.test(inline ?? '')) {
      ctx.add('container-escape', 'high', a.span, "with full access to this computer's devices and kernel")
    } else if (name === '--pid' && value === 'host') {
      ctx.add('container-escape', 'high', span, 'that sees and controls every program on this computer')
    } else if ((name === '-v' || name === '--volume' || name === '--mount') && value !== undefined) {
      const src =
        name === '--mount'
          ? MOUNT_SOURCE.exec(value)?.[1]
          : value.includes(':')
            ? value.slice(0, value.indexOf(':'))
            : undefined
      if (src === undefined || !src.startsWith('/')) continue
      const host = normalisePath(src)
      if (HOST_SYSTEM_PATH.test(host))
        ctx.add(
          'container-escape',
          'high',
          span,
          host === '/' ? "with this computer's whole disk" : `with this computer's ${host} folder`,
        )
      else if (DOCKER_SOCKET.test(host))
        ctx.add(
          'container-escape',
          'medium',
          span,
          'that controls Docker itself (the same as administrator rights)',
        )
    } else if (name === '--cap-add' && value !== undefined && ESCAPE_CAPS.test(value)) {
      ctx.add('container-escape', 'high', span, 'with kernel powers that let it break out')
    } else if (
      name === '--security-opt' &&
      value !== undefined &&
      /^(apparmor[=:]unconfined|seccomp[=:]unconfined|label[=:]disable|systempaths=unconfined)$/.test(value)
    ) {
      ctx.add('container-escape', 'high', span, 'without its security profile (AppArmor or seccomp)')
    } else if (
      name === '--device' &&
      value !== undefined &&
      /^\/dev\/(sd|nvme|vd|xvd|hd|mem|kmem|port|mapper\/)/.test(value)
    ) {
      ctx.add('container-escape', 'high', span, "with raw access to this computer's disk or memory")
    }
  }
}
