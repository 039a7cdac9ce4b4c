/**
 * Rules for fake fixes that hand the machine over without downloading anything (review findings on issue 6):
 * downgrading packages to vulnerable versions, a second uid-0 account, DNS and `/etc/hosts` hijacking, turning
 * AppArmor off through the kernel command line or modprobe, and containers started with the host's powers.
 *
 * Pure functions over one simple command or one file write; rules.ts calls them. Every regex here runs on
 * attacker-chosen text (up to 1 MB), so each is linear-time: bounded or non-overlapping quantifiers only
 * (test/security/review-inspect-redos-takeover.test.ts times each one on 100 KB of adversarial input).
 */
import type { RawFinding } from './rules'
import type { Severity } from './types'
import type { Flow, SimpleCommand, Span, Word } from './walk'

/** `-o APT::Get::allow-downgrades=true` and the apt.conf form `APT::Get::allow-downgrades "true";` (apt.conf(5)). */
export const DOWNGRADE_APT =
  /APT::Get::(?:allow-downgrades|AllowDowngrades)(?:\s{0,16}=\s{0,16}|\s{1,16})"?(?:true|yes|1|on)\b/i

/** A pin priority in apt_preferences(5). Above 1000 apt installs the pinned version even when it is a downgrade. */
export const PIN_PRIORITY = /\bPin-Priority:[ \t]{0,16}(\d{1,9})/gi

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

/** Where the system resolver reads its name servers (resolv.conf(5), resolved.conf(5), resolvconf(8)). */
const RESOLVER_PATH =
  /^\/etc\/resolv\.conf$|^\/run\/systemd\/resolve\/(stub-)?resolv\.conf$|^\/etc\/systemd\/resolved\.conf(\.d\/.*)?$|^\/etc\/resolvconf\/resolv\.conf\.d\/|^\/etc\/NetworkManager\/conf\.d\/|^\/etc\/netplan\//
/** Where the kernel command line is kept (GRUB, kernelstub on Pop!_OS, Raspberry Pi firmware, systemd-boot). */
const CMDLINE_PATH =
  /^\/etc\/default\/grub(\.d\/.*)?$|^\/etc\/kernel\/cmdline$|^\/boot\/(firmware\/)?cmdline\.txt$|^\/etc\/kernelstub\/configuration$|^\/boot\/grub\/grub\.cfg$/
const MODPROBE_PATH = /^\/(etc|lib|usr\/lib)\/modprobe\.d\/|^\/etc\/modprobe\.conf$/
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
  // RFC 1918 private ranges, loopback (the systemd-resolved stub 127.0.0.53), link-local, CGNAT (RFC 6598).
  if (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  )
    return 'local'
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

const DNS_HIGH =
  "Sends your computer's address lookups to a server chosen by whoever wrote this, so it can send you to fake update and download sites."
const DNS_MEDIUM =
  'Changes which DNS server your computer asks for addresses; check that it is one you trust.'

/** Judges name servers given as `ips`; `tainted` means the content was downloaded or decoded, not shown. */
function dnsFinding(ips: readonly string[], span: Span, tainted: boolean): RawFinding {
  if (ips.map(dnsServerKind).includes('public') || tainted)
    return { rule: 'dns-hijack', severity: 'high', span, message: DNS_HIGH }
  return { rule: 'dns-hijack', severity: 'medium', span, message: DNS_MEDIUM }
}

/**
 * Writes to files that decide accounts, name resolution, the kernel command line and kernel modules.
 *
 * Returns undefined when `path` is none of them (rules.ts then goes on with its other checks).
 */
export function judgeTakeoverWrite(path: string, flow: Flow, span: Span): RawFinding[] | undefined {
  const text = flow.text ?? ''
  const shown = flow.text !== undefined && !flow.download && !flow.decoded
  if (/^\/etc\/(passwd|passwd-)$/.test(path)) {
    if (ZERO_ID.test(text) || flow.download || flow.decoded)
      return [
        {
          rule: 'root-account',
          severity: 'high',
          span,
          message:
            'Adds an account with administrator (root) rights straight into the list of users, a hidden way back into this computer.',
        },
      ]
    return [
      {
        rule: 'root-account',
        severity: 'medium',
        span,
        message: "Edits the system's list of user accounts directly instead of with the usual tools.",
      },
    ]
  }
  if (/^\/etc\/(shadow|gshadow|shadow-)$/.test(path))
    return [
      {
        rule: 'root-account',
        severity: 'high',
        span,
        message:
          'Overwrites stored passwords, which can set a password that whoever wrote this already knows.',
      },
    ]
  if (path === '/etc/group' && /^(root|sudo|admin|wheel):/m.test(text))
    return [{ rule: 'sudoers', severity: 'high', span, message: 'Gives a user administrator rights.' }]
  if (RESOLVER_PATH.test(path)) {
    return [dnsFinding(ipv4s(text), span, flow.download || flow.decoded)]
  }
  if (path === '/etc/hosts') {
    if (/ubuntu\.com|canonical\.com|launchpad/.test(text))
      return [
        {
          rule: 'new-apt-source',
          severity: 'high',
          span,
          message: "Redirects Ubuntu's own server names to another machine.",
        },
      ]
    const ips = ipv4s(text).map(dnsServerKind)
    if (ips.includes('public') || ips.includes('well-known') || flow.download || flow.decoded)
      return [
        {
          rule: 'dns-hijack',
          severity: 'high',
          span,
          message: 'Sends these site names to a different machine, which can then pretend to be them.',
        },
      ]
    // `127.0.1.1 myhost` (the usual "unable to resolve host" fix) and LAN names are ordinary.
    return shown
      ? []
      : [
          {
            rule: 'dns-hijack',
            severity: 'medium',
            span,
            message: 'Replaces how this computer looks up names.',
          },
        ]
  }
  if (CMDLINE_PATH.test(path)) {
    const param = kernelParamOff(text)
    return param
      ? [
          {
            rule: 'disable-protection',
            severity: 'high',
            span,
            message: `Turns off ${kernelWhat(param)} from the next boot on, a protection that limits what an attacker can do.`,
          },
        ]
      : []
  }
  if (MODPROBE_PATH.test(path)) {
    const m = MODPROBE_OFF.exec(text)
    return m
      ? [
          {
            rule: 'disable-protection',
            severity: 'high',
            span,
            message: `Stops the ${m[1] ?? 'apparmor'} kernel module from loading, which turns off a protection that limits what an attacker can do.`,
          },
        ]
      : []
  }
  if (/^\/etc\/apt\/preferences(\.d\/.*)?$/.test(path)) {
    for (const m of text.matchAll(PIN_PRIORITY))
      if (Number(m[1]) > 1000)
        return [
          {
            rule: 'allow-downgrade',
            severity: 'high',
            span,
            message:
              'Pins packages so strongly that apt will replace them with older versions, which can bring back security holes that were already fixed.',
          },
        ]
    return undefined
  }
  return undefined
}

/** `useradd/adduser/usermod -u 0` (and `--uid=0`, `-u0`): a second root account (useradd(8) `-o -u 0`). */
export function accountCommand(cmd: SimpleCommand): RawFinding[] {
  const p = cmd.program
  const args = cmd.argv.slice(1)
  if (p === 'newusers' && cmd.stdin.text !== undefined && ZERO_ID.test(cmd.stdin.text))
    return [
      {
        rule: 'root-account',
        severity: 'high',
        span: cmd.span,
        message: 'Creates an account with administrator (root) rights, a hidden way back into this computer.',
      },
    ]
  if (!/^(useradd|adduser|usermod|luseradd|lusermod)$/.test(p)) return []
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
    if (value !== undefined && /^0+$/.test(value))
      return [
        {
          rule: 'root-account',
          severity: 'high',
          span: join(a, end),
          message:
            p === 'usermod' || p === 'lusermod'
              ? 'Gives this account the administrator (root) user number, turning it into a hidden second root login.'
              : 'Creates a second administrator (root) account under another name, a hidden way back into this computer.',
        },
      ]
  }
  return []
}

/** `kernelstub -a apparmor=0`, `grubby --args=apparmor=0`, `grub-editenv - set kernelopts=… apparmor=0`. */
export function kernelParamCommand(cmd: SimpleCommand): RawFinding[] {
  if (!/^(kernelstub|grubby|grub-editenv|grub2-editenv)$/.test(cmd.program)) return []
  for (const a of cmd.argv.slice(1)) {
    const param = kernelParamOff(a.text)
    if (param)
      return [
        {
          rule: 'disable-protection',
          severity: 'high',
          span: a.span,
          message: `Turns off ${kernelWhat(param)} from the next boot on, a protection that limits what an attacker can do.`,
        },
      ]
  }
  return []
}

/** `resolvectl dns IFACE IP…`, `nmcli connection modify X ipv4.dns IP`, `systemd-resolve --set-dns=IP`. */
export function dnsCommand(cmd: SimpleCommand): RawFinding[] {
  const p = cmd.program
  const args = cmd.argv.slice(1)
  const texts = args.map((a) => a.text)
  let servers: Word[] = []
  if (p === 'resolvectl' && texts[0] === 'dns') servers = args.slice(2)
  else if (p === 'nmcli') {
    const i = texts.findIndex((t) => /^(\+|-)?ipv[46]\.dns$/.test(t))
    const v = i >= 0 ? args[i + 1] : undefined
    if (v && !texts[i]?.startsWith('-')) servers = [v]
  } else if (p === 'systemd-resolve') servers = args.filter((a) => a.text.startsWith('--set-dns'))
  if (servers.length === 0) return []
  const first = servers[0]
  if (!first) return []
  const ips = servers.flatMap((s) => ipv4s(s.text))
  return [dnsFinding(ips, join(first, servers[servers.length - 1]), false)]
}

const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl'])
/** The host side of `--mount type=bind,source=/,target=/host` (`src=` is its short form in docker-run(1)). */
export const MOUNT_SOURCE = /(?:^|,)(?:source|src)=([^,]*)/
/** Host paths whose bind mount gives a container the machine: `/` itself and the system folders. */
const HOST_SYSTEM_PATH = /^\/(etc|root|boot|usr|bin|sbin|lib|lib64|var|proc|sys|dev|run)?$/
const DOCKER_SOCKET = /^\/(var\/)?run\/(docker|podman\/podman|containerd\/containerd)\.sock$/
const ESCAPE_CAPS = /^(CAP_)?(ALL|SYS_ADMIN|SYS_MODULE|SYS_PTRACE|SYS_RAWIO|DAC_READ_SEARCH|DAC_OVERRIDE)$/i

/** Normalises a host path for comparison: `//`, `/./` and trailing slashes removed (`/` stays `/`). */
function normalisePath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.')
  return '/' + parts.join('/')
}

/**
 * `docker|podman|nerdctl run|create|exec` with the host's powers: `--privileged`, `--pid=host`, a bind mount of `/`
 * or a system folder (`-v /:/host`, `--mount type=bind,source=/`), the Docker socket, escape capabilities, an
 * unconfined AppArmor/seccomp profile, or a raw disk device. Any of these lets the container's root become the
 * host's root (Docker docs, "Runtime privilege and Linux capabilities").
 */
export function containerCommand(cmd: SimpleCommand): RawFinding[] {
  if (!CONTAINER_TOOLS.has(cmd.program)) return []
  const args = cmd.argv.slice(1)
  let i = args.findIndex((a) => !a.text.startsWith('-'))
  if (args[i]?.text === 'container') i++
  const sub = args[i]?.text
  if (sub !== 'run' && sub !== 'create' && sub !== 'exec') return []
  const out: RawFinding[] = []
  const add = (severity: Severity, span: Span, message: string): void => {
    out.push({ rule: 'container-escape', severity, span, message })
  }
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
      add(
        'high',
        a.span,
        "Starts a container with full access to this computer's devices and kernel, so whatever runs in it can take over the whole system.",
      )
    } else if (name === '--pid' && value === 'host') {
      add(
        'high',
        span,
        'Lets a container see and control every program on this computer, which is enough to take it over.',
      )
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
        add(
          'high',
          span,
          host === '/'
            ? "Gives a container this computer's whole disk, so whatever runs in it can change any file as administrator."
            : `Gives a container this computer's ${host} folder, so whatever runs in it can change system files as administrator.`,
        )
      else if (DOCKER_SOCKET.test(host))
        add(
          'medium',
          span,
          'Gives a container control of Docker itself, which is the same as administrator rights on this computer.',
        )
    } else if (name === '--cap-add' && value !== undefined && ESCAPE_CAPS.test(value)) {
      add('high', span, 'Gives a container kernel powers that let it break out and take over this computer.')
    } else if (
      name === '--security-opt' &&
      value !== undefined &&
      /^(apparmor[=:]unconfined|seccomp[=:]unconfined|label[=:]disable|systempaths=unconfined)$/.test(value)
    ) {
      add(
        'high',
        span,
        "Turns off the container's security profile (AppArmor or seccomp), a protection that keeps it away from this computer.",
      )
    } else if (
      name === '--device' &&
      value !== undefined &&
      /^\/dev\/(sd|nvme|vd|xvd|hd|mem|kmem|port|mapper\/)/.test(value)
    ) {
      add(
        'high',
        span,
        "Gives a container raw access to this computer's disk or memory, bypassing every file permission.",
      )
    }
  }
  return out
}
