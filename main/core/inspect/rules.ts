/**
 * The instruction checker's rules over simple commands (walk.ts) and over non-command text (config snippets).
 *
 * Each rule has an id, a severity and one plain sentence (docs/inspect.md lists them). Severity follows DESIGN.md,
 * "The instruction checker": anything that can run a stranger's code as root, or lowers apt's or the system's
 * protections, is `high`; things worth a second look are `medium`; smells are `low`.
 */
import { classifyHost } from './domains'
import {
  accountCommand,
  containerCommand,
  dnsCommand,
  DOWNGRADE_APT,
  judgeTakeoverWrite,
  kernelParamCommand,
} from './takeover-rules'
import type { RuleId, Severity } from './types'
import { baseName, isPassthrough, mergeFlow, NO_FLOW } from './walk'
import type { CommandSink, FileWrite, Flow, SimpleCommand, Span, Walker, Word } from './walk'

/** A finding before it is placed in the report (0-based line). */
export interface RawFinding {
  readonly rule: RuleId
  readonly severity: Severity
  readonly span: Span
  readonly message: string
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox'])
const INTERPRETERS = new Set([
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
])
const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'http',
  'https',
  'aria2c',
  'lwp-download',
  'lynx',
  'xh',
])
const APT = new Set(['apt', 'apt-get', 'aptitude'])
const PROTECTIONS =
  /^(apparmor|ufw|firewalld|auditd|fail2ban|clamav-daemon|clamav-freshclam|snapd\.apparmor|selinux|iptables|netfilter-persistent|nftables|ssh-guard|sshguard|crowdsec)(\.service)?$/
const AUTO_UPDATES = /^(unattended-upgrades|apt-daily(-upgrade)?(\.timer|\.service)?)(\.service)?$/
// Schemes are short (RFC 3986 3.1); the bound keeps the scan linear on long `a.a.a.…` runs (no ReDoS).
const URL_RE = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"`<>|;)]+/gi
const INSECURE_APT =
  /(AllowInsecureRepositories|AllowUnauthenticated|AllowDowngradeToInsecureRepositories|Acquire::AllowWeakRepositories|APT::Get::force-yes|\bTrusted)(?:\s*=\s*|\s+)"?(true|yes|1)"?/i
const VERIFY_PEER_OFF =
  /(Verify-Peer|Verify-Host|sslVerify|Check-Valid-Until)(?:\s*=\s*|\s+)"?(false|no|0)"?/i
const TRUSTED_YES = /\btrusted\s*=\s*yes\b|^[ \t]*Trusted:\s*yes\b/im

/** Where apt reads its sources (sources.list(5)). */
const SOURCES_PATH = /^\/etc\/apt\/sources\.list(\.d\/.*)?$|\.list$|\.sources$/
/** Where apt and gpg read trusted keys (apt-secure(8), sources.list(5) Signed-By). */
const KEYRING_PATH = /^\/etc\/apt\/trusted\.gpg(\.d\/.*)?$|^\/etc\/apt\/keyrings\/|^\/usr\/share\/keyrings\//
const APT_CONF_PATH = /^\/etc\/apt\/apt\.conf(\.d\/.*)?$/
const PERSIST_PATH =
  /^\/etc\/cron(tab|\.d|\.hourly|\.daily|\.weekly|\.monthly)|^\/var\/spool\/cron|^\/etc\/systemd\/(system|user)\/|^\/(usr\/)?lib\/systemd\/(system|user)\/|\.config\/systemd\/user\/|^\/etc\/rc\.local$|^\/etc\/init\.d\/|^\/etc\/profile(\.d\/.*)?$|^\/etc\/bash\.bashrc$|^\/etc\/update-motd\.d\/|^\/etc\/xdg\/autostart\/|\.config\/autostart\//
const USER_RC = /(^|\/)\.(bashrc|profile|bash_profile|zshrc|zprofile|bash_login)$/
const SYSTEM_DIR = /^\/($|etc|usr|bin|sbin|lib|lib64|boot|var|opt|root|srv)(\/|$)/

/** A source line's URL: official archive or an Ubuntu mirror (apt still checks the Ubuntu signatures) or not. */
function sourceKind(url: string, options: string): 'official' | 'mirror' | 'ppa' | 'foreign' {
  let host = ''
  let path = ''
  try {
    const u = new URL(url)
    host = u.hostname
    path = u.pathname
  } catch {
    return 'foreign'
  }
  if (/signed-by=/i.test(options) && !/ubuntu-archive-keyring/.test(options)) return 'foreign'
  if (/(^|\.)ppa\.launchpad(content)?\.net$/.test(host)) return 'ppa'
  const kind = classifyHost(host).kind
  if (kind === 'official') return 'official'
  if (kind === 'other' && /\/ubuntu(-ports)?\/?$|\/ubuntu(-ports)?\//.test(path)) return 'mirror'
  return 'foreign'
}

/** The rules, as a sink for the walker. */
export class RuleSet implements CommandSink {
  readonly findings: RawFinding[] = []
  /** Files the text downloads (full path and base name). */
  private readonly downloaded = new Set<string>()
  /** Commands that only upgrade packages (apt update/upgrade/--only-upgrade): package names, for `knownFixes`. */
  readonly upgrades: { readonly pkg: string; readonly version: string | undefined; readonly span: Span }[] =
    []
  /** Commands that are not ordinary apt use or read-only diagnostics (see `isOrdinary`). */
  readonly unusual: Span[] = []
  /** Every command's span (for `unsigned-outside-signed`). */
  readonly commands: { readonly span: Span; readonly ordinary: boolean }[] = []

  private add(rule: RuleId, severity: Severity, span: Span, message: string): void {
    this.findings.push({ rule, severity, span, message })
  }

  assignment(name: string, value: Word, exported: boolean): void {
    if (name === 'LD_PRELOAD' || (name === 'LD_LIBRARY_PATH' && exported)) {
      this.add(
        'ld-preload',
        name === 'LD_PRELOAD' ? 'high' : 'medium',
        value.span,
        'Forces a library into every program you start, a classic way to hide malware.',
      )
    }
    this.envRules(name, value)
  }

  private envRules(name: string, value: Word): void {
    if (
      (name === 'GIT_SSL_NO_VERIFY' && /^(1|true|yes)$/i.test(value.text)) ||
      (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && value.text === '0') ||
      (name === 'PYTHONHTTPSVERIFY' && value.text === '0') ||
      (name === 'CURL_CA_BUNDLE' && value.text === '')
    ) {
      this.add(
        'tls-disabled',
        'high',
        value.span,
        'Turns off the check that you are talking to the real server, so anyone on the network can swap the download.',
      )
    }
  }

  command(cmd: SimpleCommand, walker: Walker): Flow {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    const texts = args.map((a) => a.text)
    const before = this.findings.length
    for (const [name, w] of cmd.env) {
      if (name === 'LD_PRELOAD')
        this.add(
          'ld-preload',
          'high',
          w.span,
          'Forces a library into the program it starts, a classic way to hide malware.',
        )
      this.envRules(name, w)
    }
    let out: Flow = NO_FLOW
    const first = cmd.argv[0]
    if (first && first.flow.download && first.node.type !== 'word') {
      this.add(
        'pipe-to-shell',
        'high',
        first.span,
        'Runs whatever a web server sends back as a command, without you seeing it first.',
      )
    }

    if (SHELLS.has(p) || INTERPRETERS.has(p) || p === 'source' || p === '.' || p === 'eval')
      out = this.interpreter(cmd, walker)
    else if (DOWNLOADERS.has(p)) out = this.downloader(cmd)
    else if (p === 'base64' || p === 'base32' || p === 'basenc') {
      if (texts.some((t) => /^-[a-zA-Z]*[dD]|^--decode$/.test(t)))
        out = { download: cmd.stdin.download, decoded: true, text: decodeBase64(cmd.stdin.text) }
      else out = cmd.stdin
    } else if (p === 'xxd' && texts.some((t) => /^-[a-z]*r/.test(t)))
      out = { download: cmd.stdin.download, decoded: true }
    else if (
      p === 'openssl' &&
      texts.some((t) => /^(-d|base64|-base64|-a|enc)$/.test(t)) &&
      texts.includes('-d')
    )
      out = { download: cmd.stdin.download, decoded: true }
    else if (p === 'echo' || p === 'printf') {
      const text = texts.filter((t, k) => !(k === 0 && /^-[neE]+$/.test(t))).join(' ')
      const decoded =
        (p === 'printf' || texts[0]?.includes('e') === true) && /\\x[0-9a-f]{2}|\\[0-7]{3}/i.test(text)
      // printf(1) and `echo -e` turn `\n` and `\t` into line breaks and tabs: line-based rules (a pin priority, a
      // modprobe line, a passwd entry) must see the lines the file will get.
      const lines =
        p === 'printf' || /^-[nE]*e[nE]*$/.test(texts[0] ?? '')
          ? text.replace(/\\([nt])/g, (_, c: string) => (c === 'n' ? '\n' : '\t'))
          : text
      out = mergeFlow({ download: false, decoded, text: decoded ? ansiDecode(lines) : lines }, flowOf(args))
    } else if (p === 'tr' && texts.some((t) => /N-ZA-M|n-za-m/.test(t))) out = { ...cmd.stdin, decoded: true }
    else if (p === 'cat' && args.length === 0) out = cmd.stdin
    else if (p === 'cat') {
      out = mergeFlow(cmd.stdin, { download: texts.some((t) => this.downloaded.has(t)), decoded: false })
    } else if (isPassthrough(p))
      out = { ...cmd.stdin, text: p === 'tee' || p === 'sort' ? cmd.stdin.text : undefined }
    else if (p === 'gpg' || p === 'gpg2') out = this.gpg(cmd)

    this.packageRules(cmd, texts)
    this.systemRules(cmd, texts)
    this.findings.push(
      ...accountCommand(cmd),
      ...containerCommand(cmd),
      ...dnsCommand(cmd),
      ...kernelParamCommand(cmd),
    )
    this.writes(cmd, texts, out)

    // Running a file this text downloaded (or made executable) as a program.
    if (first && /^(\.{0,2}\/|~\/|\/)/.test(first.text) && this.isDownloaded(first.text)) {
      this.add(
        'run-downloaded',
        'high',
        first.span,
        'Runs a file that was just downloaded from the internet, without any signature check.',
      )
    } else if (first && /^\.{0,2}\//.test(first.text) && cmd.root && !this.isDownloaded(first.text)) {
      this.add(
        'run-downloaded',
        'medium',
        first.span,
        'Runs a script as administrator whose contents you cannot see here.',
      )
    }
    const ordinary = this.findings.length === before && isOrdinary(cmd, texts)
    this.commands.push({ span: cmd.span, ordinary })
    if (!ordinary) this.unusual.push(cmd.span)
    return out
  }

  private isDownloaded(path: string): boolean {
    return this.downloaded.has(path) || this.downloaded.has(baseName(path))
  }

  private markDownloaded(path: string): void {
    this.downloaded.add(path)
    this.downloaded.add(baseName(path))
  }

  private interpreter(cmd: SimpleCommand, walker: Walker): Flow {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    const high = (flow: Flow, span: Span): boolean => {
      if (flow.download)
        this.add(
          'pipe-to-shell',
          'high',
          span,
          'Downloads a script and runs it straight away, so whoever controls that server controls your computer.',
        )
      else if (flow.decoded)
        this.add(
          'decoded-payload',
          'high',
          span,
          'Runs hidden (encoded) commands, so you cannot see what they do before they run.',
        )
      return flow.download || flow.decoded
    }
    if (p === 'eval') {
      const flow = flowOf(args)
      const span = spanOf(cmd)
      if (high(flow, span)) {
        for (const a of args)
          if (a.flow.decoded && a.text) walker.walkText(a.text, a.span, cmd.depth, cmd.root)
        return NO_FLOW
      }
      if (args.some((a) => a.dynamic))
        this.add(
          'eval-dynamic',
          'medium',
          span,
          'Builds a command from text and runs it, which hides what will actually run.',
        )
      for (const a of args) if (!a.dynamic || a.text) walker.walkWord(a, cmd.depth, cmd.stdin, cmd.root)
      return NO_FLOW
    }
    // `-c CODE` (shells, python, php), `-e CODE` (perl, ruby, node).
    const codeFlag = SHELLS.has(p) ? /^-[a-z]*c[a-z]*$/ : /^-(c|e|E|r)$/
    const ci = args.findIndex((a) => codeFlag.test(a.text))
    const code = ci >= 0 ? args[ci + 1] : undefined
    if (code) {
      if (high(code.flow, code.span)) {
        if (code.flow.decoded && SHELLS.has(p)) walker.walkText(code.text, code.span, cmd.depth, cmd.root)
        return NO_FLOW
      }
      if (SHELLS.has(p)) walker.walkWord(code, cmd.depth, cmd.stdin, cmd.root)
      else if (
        /urlopen|requests\.get|urllib|LWP::|Net::HTTP|open-uri|https?:\/\//.test(code.text) &&
        /exec|eval|system|\|\s*sh|subprocess/.test(code.text)
      ) {
        this.add(
          'pipe-to-shell',
          'high',
          code.span,
          'Downloads code and runs it straight away inside another program.',
        )
      } else if (
        /b64decode|base64|fromhex|unhexlify|pack\(/.test(code.text) &&
        /exec|eval|system|subprocess/.test(code.text)
      ) {
        this.add(
          'decoded-payload',
          'high',
          code.span,
          'Runs hidden (encoded) commands, so you cannot see what they do before they run.',
        )
      }
      return NO_FLOW
    }
    const script = args.find((a) => !a.text.startsWith('-') || a.text === '-')
    if (script && script.text !== '-' && script.text !== '/dev/stdin') {
      if (script.processSubst) high(script.flow, script.span)
      else if (this.isDownloaded(script.text))
        this.add(
          'run-downloaded',
          'high',
          script.span,
          'Runs a script that was just downloaded from the internet, without any signature check.',
        )
      else if (cmd.root && /\.(sh|py|pl|rb|bash|run)$/.test(script.text))
        this.add(
          'run-downloaded',
          'medium',
          script.span,
          'Runs a script as administrator whose contents you cannot see here.',
        )
      return NO_FLOW
    }
    // Reads its program from stdin.
    const span = spanOf(cmd)
    high(cmd.stdin, span)
    // A here-doc, echoed text or decoded payload fed to a shell is itself a script: check what it would run.
    if (cmd.stdin.text !== undefined && SHELLS.has(p))
      walker.walkText(cmd.stdin.text, span, cmd.depth, cmd.root)
    return NO_FLOW
  }

  private downloader(cmd: SimpleCommand): Flow {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    const urls: string[] = []
    let toStdout = p !== 'wget' && p !== 'aria2c' && p !== 'lwp-download'
    const outputs: Word[] = []
    for (let k = 0; k < args.length; k++) {
      const a = args[k]
      if (!a) continue
      const t = a.text
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || (!t.startsWith('-') && /^[\w.-]+\.[a-z]{2,}\//i.test(t)))
        urls.push(t)
      if (p === 'curl') {
        if (t === '-o' || t === '--output' || /^-[a-zA-Z]*o$/.test(t)) {
          const f = args[k + 1]
          if (f && f.text !== '-') {
            outputs.push(f)
            toStdout = false
          }
        } else if (/^--output=/.test(t)) toStdout = false
        else if (t === '-O' || t === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(t)) toStdout = false
        if (t === '-k' || t === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(t)) this.tls(a)
      } else if (p === 'wget') {
        const m = /^(?:-[a-zA-Z]*O|--output-document=?)(.*)$/.exec(t)
        if (m) {
          const target = m[1] !== undefined && m[1] !== '' ? m[1] : args[k + 1]?.text
          if (target === '-') toStdout = true
          else if (target !== undefined) {
            const w = m[1] ? { ...a, text: m[1] } : args[k + 1]
            if (w) outputs.push(w)
          }
        }
        if (t === '--no-check-certificate') this.tls(a)
      } else if (/^--(no-check-certificate|insecure|verify=no|check-certificate=false)$/.test(t)) this.tls(a)
    }
    for (const o of outputs) this.markDownloaded(o.text)
    if (!toStdout && outputs.length === 0)
      for (const u of urls) this.markDownloaded(baseName(u.replace(/[?#].*$/, '')) || 'index.html')
    for (const o of outputs)
      this.checkWrite(cmd, o.text, o, { download: true, decoded: false, urls }, 'download')
    return toStdout ? { download: true, decoded: false, urls } : NO_FLOW
  }

  private tls(w: Word): void {
    this.add(
      'tls-disabled',
      'high',
      w.span,
      'Turns off the check that you are talking to the real server, so anyone on the network can swap the download.',
    )
  }

  private gpg(cmd: SimpleCommand): Flow {
    const texts = cmd.argv.map((a) => a.text)
    const args = cmd.argv.slice(1)
    const keyring = args.find(
      (a, k) => (texts[k] === '--keyring' || texts[k] === '--primary-keyring') && KEYRING_PATH.test(a.text),
    )
    const outIdx = texts.findIndex((t) => t === '-o' || t === '--output')
    const outWord = outIdx >= 0 ? cmd.argv[outIdx + 1] : undefined
    if (keyring)
      this.add(
        'new-apt-key',
        'high',
        keyring.span,
        'Adds a new key that apt will trust to sign software, so packages signed by its owner install without complaint.',
      )
    if (outWord) this.checkWrite(cmd, outWord.text, outWord, cmd.stdin, 'key-export')
    const recv = cmd.argv.find((a) => /^--(recv-keys?|fetch-keys|keyserver|search-keys)$/.test(a.text))
    if (recv && !keyring)
      this.add(
        'new-apt-key',
        'medium',
        recv.span,
        'Fetches a signing key from a key server; check that its fingerprint matches one published by Ubuntu.',
      )
    const dearmor = texts.includes('--dearmor') || texts.includes('--export') || texts.includes('--enarmor')
    return dearmor ? { ...cmd.stdin, text: undefined } : NO_FLOW
  }

  private packageRules(cmd: SimpleCommand, texts: readonly string[]): void {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    const sub = texts.find((t) => !t.startsWith('-'))
    if (APT.has(p)) {
      for (const a of args) {
        if (
          /^--(allow-unauthenticated|allow-insecure-repositories|allow-downgrade-to-insecure-repositories|force-yes)$/.test(
            a.text,
          )
        ) {
          this.add(
            'allow-unauthenticated',
            'high',
            a.span,
            'Tells apt to install packages even when their signatures are missing or wrong.',
          )
        } else if (a.text === '--allow-downgrades') {
          this.add('allow-downgrade', 'high', a.span, DOWNGRADE_MESSAGE)
        }
      }
      this.aptOptions(cmd)
      if (sub === 'install' || sub === 'reinstall') {
        for (const a of args) {
          if (/\.deb$/.test(a.text) && (a.text.includes('/') || this.isDownloaded(a.text))) this.deb(a)
          else if (/^[a-z][a-z0-9+.-]*:\/\//.test(a.text)) this.deb(a)
        }
        if (texts.includes('--only-upgrade')) {
          for (const a of args) {
            if (a.text.startsWith('-') || a.text === sub) continue
            const [pkg, version] = a.text.split('=', 2)
            this.upgrades.push({ pkg: pkg ?? '', version, span: a.span })
          }
        } else {
          for (const a of args) {
            if (a.text.startsWith('-') || a.text === sub) continue
            const [pkg, version] = a.text.split('=', 2)
            if (version !== undefined) this.upgrades.push({ pkg: pkg ?? '', version, span: a.span })
          }
        }
      }
    } else if (p === 'dpkg' || p === 'gdebi' || p === 'gdebi-gtk') {
      const i = texts.findIndex((t) => /^(-i|--install|-[a-zA-Z]*i[a-zA-Z]*)$/.test(t))
      if (p !== 'dpkg' || i >= 0)
        for (const a of args.slice(p === 'dpkg' ? i + 1 : 0)) if (!a.text.startsWith('-')) this.deb(a)
      for (const a of args) {
        if (/^--force-downgrade$/.test(a.text)) this.add('allow-downgrade', 'high', a.span, DOWNGRADE_MESSAGE)
        if (/^--force-(bad-verify|all)$/.test(a.text))
          this.add(
            'allow-unauthenticated',
            'high',
            a.span,
            'Tells the package tool to skip its safety checks.',
          )
      }
    } else if (p === 'add-apt-repository' || p === 'apt-add-repository') {
      const remove = texts.some((t) => t === '-r' || t === '--remove')
      const target = args.find((a) => !a.text.startsWith('-'))
      if (!remove && target && !/^(main|universe|multiverse|restricted)$/.test(target.text)) {
        if (TRUSTED_YES.test(target.text))
          this.add(
            'trusted-yes',
            'high',
            target.span,
            'Marks a software source as trusted without any signature, so anything it serves gets installed.',
          )
        const url = /[a-z]{1,32}:\/\/\S+/.exec(target.text)?.[0]
        const kind = url ? sourceKind(url, target.text) : 'ppa'
        if (kind === 'official' || kind === 'mirror')
          this.add(
            'mirror-change',
            'low',
            target.span,
            "Changes which Ubuntu mirror you download from; apt still checks Ubuntu's signatures.",
          )
        else
          this.add(
            'new-apt-source',
            'high',
            target.span,
            'Adds a new software source (PPA or repository) that can replace any package on your system.',
          )
      }
    } else if (p === 'apt-key') {
      const op = args.find((a) => /^(add|adv|--keyserver|--recv-keys?|--fetch-keys)$/.test(a.text))
      if (op)
        this.add(
          'new-apt-key',
          'high',
          op.span,
          'Adds a new key that apt will trust to sign software, so packages signed by its owner install without complaint.',
        )
    } else if (p === 'snap') {
      if (sub === 'ack')
        this.add(
          'snap-dangerous',
          'high',
          spanOf(cmd),
          'Tells snap to trust an assertion file from outside the Snap Store.',
        )
      for (const a of args) {
        if (a.text === '--dangerous')
          this.add(
            'snap-dangerous',
            'high',
            a.span,
            'Installs a snap without checking its signature, so it could contain anything.',
          )
        else if (a.text === '--devmode')
          this.add('snap-dangerous', 'medium', a.span, 'Installs a snap without its security confinement.')
      }
    } else if (
      p === 'pip' ||
      p === 'pip3' ||
      p === 'pip2' ||
      p === 'npm' ||
      p === 'yarn' ||
      p === 'pnpm' ||
      p === 'gem' ||
      p === 'cargo' ||
      p === 'go' ||
      p === 'cpan' ||
      p === 'cpanm' ||
      p === 'easy_install' ||
      p === 'pipx' ||
      ((p === 'python' || p === 'python3') && texts[0] === '-m' && /^pip/.test(texts[1] ?? ''))
    ) {
      const installing = texts.some((t) => /^(install|i|add|get)$/.test(t))
      if (cmd.root && installing) {
        const remote = args.find(
          (a) =>
            /^(-i|--index-url|--extra-index-url|-f|--find-links|--registry|--source)$/.test(a.text) ||
            /^(git\+|https?:\/\/)|\.(tar\.gz|whl|tgz|zip)$/.test(a.text),
        )
        this.add(
          'root-package-manager',
          remote ? 'high' : 'medium',
          (remote ?? cmd.argv[0] ?? { span: cmd.span }).span,
          remote
            ? "Installs code as administrator from a source outside Ubuntu's archive, bypassing apt's signatures."
            : 'Installs software as administrator with a package manager that apt does not check, which can break or take over the system.',
        )
      }
      for (const a of args) if (/^--trusted-host$|^strict-ssl$/.test(a.text)) this.tls(a)
    } else if (p === 'git') {
      for (const a of args) if (/sslverify\s*=\s*false/i.test(a.text)) this.tls(a)
    }
  }

  private aptOptions(cmd: SimpleCommand): void {
    for (let k = 1; k < cmd.argv.length; k++) {
      const a = cmd.argv[k]
      if (!a) continue
      const opt =
        a.text.startsWith('-o') && a.text.length > 2
          ? a.text.slice(2)
          : a.text === '-o' || a.text === '--option'
            ? (cmd.argv[k + 1]?.text ?? '')
            : ''
      if (!opt) continue
      const at = a.text.length > 2 ? a : (cmd.argv[k + 1] ?? a)
      if (INSECURE_APT.test(opt))
        this.add(
          'allow-unauthenticated',
          'high',
          at.span,
          'Tells apt to accept software sources and packages without valid signatures.',
        )
      else if (DOWNGRADE_APT.test(opt)) this.add('allow-downgrade', 'high', at.span, DOWNGRADE_MESSAGE)
      else if (/Check-Valid-Until\s*=\s*(false|no|0)/i.test(opt))
        this.add(
          'allow-unauthenticated',
          'medium',
          at.span,
          'Tells apt to accept outdated repository data, which lets an attacker hold back security fixes.',
        )
      else if (VERIFY_PEER_OFF.test(opt))
        this.add(
          'tls-disabled',
          'high',
          at.span,
          'Turns off the check that you are talking to the real server.',
        )
    }
  }

  private deb(a: Word): void {
    if (/^\/var\/cache\/apt\/archives\//.test(a.text)) {
      this.add(
        'install-downloaded-deb',
        'medium',
        a.span,
        "Installs a package file directly, skipping apt's signature check; this one comes from apt's own cache.",
      )
    } else {
      this.add(
        'install-downloaded-deb',
        'high',
        a.span,
        "Installs a package file directly, which skips the signature checks apt does for Ubuntu's archive.",
      )
    }
  }

  private systemRules(cmd: SimpleCommand, texts: readonly string[]): void {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    const span = spanOf(cmd)
    const off = (w: Word | undefined, what: string): void =>
      this.add(
        'disable-protection',
        'high',
        (w ?? { span }).span,
        `Turns off ${what}, a protection that limits what an attacker can do.`,
      )
    if (p === 'systemctl' || p === 'service') {
      const verb = p === 'service' ? texts[1] : texts.find((t) => !t.startsWith('-'))
      const units =
        p === 'service' ? args.slice(0, 1) : args.filter((a) => !a.text.startsWith('-') && a.text !== verb)
      if (verb && /^(stop|disable|mask|kill)$/.test(verb)) {
        for (const u of units) {
          if (PROTECTIONS.test(u.text)) off(u, u.text.replace(/\.service$/, ''))
          else if (AUTO_UPDATES.test(u.text))
            this.add(
              'disable-protection',
              'medium',
              u.span,
              'Stops automatic security updates; turn them back on once you are done.',
            )
        }
      }
    } else if (
      p === 'ufw' &&
      (texts[0] === 'disable' || (texts[0] === 'default' && texts[1] === 'allow' && texts[2] !== 'outgoing'))
    )
      off(args[0], 'the firewall')
    else if (p === 'setenforce' && /^(0|permissive)$/i.test(texts[0] ?? '')) off(args[0], 'SELinux')
    else if (p === 'aa-teardown' || p === 'aa-disable' || p === 'aa-complain') off(cmd.argv[0], 'AppArmor')
    else if (p === 'apparmor_parser' && texts.some((t) => t === '-R' || t === '--remove'))
      off(cmd.argv[0], 'AppArmor')
    else if (
      (p === 'iptables' || p === 'ip6tables') &&
      texts.some((t) => t === '-F' || t === '--flush' || t === '-P')
    ) {
      if (texts.includes('ACCEPT') || texts.includes('-F') || texts.includes('--flush'))
        off(args[0], 'the firewall rules')
    } else if (p === 'nft' && texts.join(' ').includes('flush ruleset')) off(args[0], 'the firewall rules')
    else if (
      p === 'sysctl' &&
      texts.some((t) =>
        /randomize_va_space\s*=\s*0|ptrace_scope\s*=\s*0|kptr_restrict\s*=\s*0|dmesg_restrict\s*=\s*0/.test(
          t,
        ),
      )
    )
      off(args[0], 'kernel hardening')
    else if (
      (APT.has(p) || p === 'snap') &&
      /^(remove|purge|autoremove)$/.test(texts.find((t) => !t.startsWith('-')) ?? '')
    ) {
      for (const a of args)
        if (/^(apparmor|ufw|apparmor-utils|firewalld|auditd|unattended-upgrades)$/.test(a.text))
          off(a, a.text)
    } else if (p === 'apt-mark' && texts[0] === 'hold') {
      this.add(
        'disable-protection',
        'medium',
        span,
        'Stops these packages from receiving updates, including security fixes.',
      )
    } else if (p === 'chmod' || (p === 'install' && texts.includes('-m'))) this.chmod(cmd, texts)
    else if (
      p === 'usermod' &&
      texts.some((t) => /^-[a-zA-Z]*G/.test(t)) &&
      texts.some((t) => /(^|,)(sudo|admin|wheel|root)(,|$)/.test(t))
    ) {
      this.add('sudoers', 'medium', span, 'Gives a user administrator rights.')
    } else if (p === 'visudo')
      this.add(
        'sudoers',
        cmd.env.has('EDITOR') || cmd.env.has('VISUAL') ? 'high' : 'medium',
        span,
        'Changes who may run commands as administrator.',
      )
    else if (p === 'crontab' && !texts.some((t) => /^-[lre]$/.test(t))) {
      this.add(
        'persistence',
        'high',
        span,
        'Installs a scheduled task that keeps running commands in the background, even after a reboot.',
      )
    } else if ((p === 'at' || p === 'batch') && cmd.stdin !== NO_FLOW)
      this.add('persistence', 'medium', span, 'Schedules commands to run later.')
    else if (p === 'passwd' && texts.includes('-d'))
      this.add('sudoers', 'high', span, 'Removes a password, so anyone can log in as that user.')
  }

  private chmod(cmd: SimpleCommand, texts: readonly string[]): void {
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
    if (setuid)
      this.add(
        'setuid',
        'high',
        mode.span,
        "Lets any user run this program with its owner's (often administrator) rights.",
      )
    if (worldW) {
      const system =
        targets.some((t) => SYSTEM_DIR.test(t.text)) ||
        (texts.some((t) => t === '-R') && targets.some((t) => t.text.startsWith('/')))
      this.add(
        'world-writable',
        system ? 'high' : 'medium',
        mode.span,
        system
          ? 'Lets every user and program change system files, which any malware can use to take over.'
          : 'Lets every user on this computer change these files.',
      )
    }
    if (/(^|[^0-7])[0-7]?[157][0-7][0-7]$|\+x|^[ugoa]*\+[rw]*x/.test(m) || /x/.test(m)) {
      for (const t of targets) {
        if (this.isDownloaded(t.text))
          this.add(
            'run-downloaded',
            'high',
            t.span,
            'Makes a file downloaded from the internet executable, so it can run without any signature check.',
          )
      }
    }
  }

  /** Files written by this command: redirects, tee, cp/mv/install/ln targets, `sed -i`, `dd of=`. */
  private writes(cmd: SimpleCommand, texts: readonly string[], out: Flow): void {
    const p = cmd.program
    const args = cmd.argv.slice(1)
    for (const r of cmd.redirects) {
      if (r.op === '<' || r.op === '<<' || r.op === '<&') continue
      const flow = p === ':' ? cmd.stdin : p === 'cat' && args.length === 0 ? cmd.stdin : out
      if (flow.download) this.markDownloaded(r.target.text)
      this.checkWrite(cmd, r.target.text, r.target, flow, 'redirect')
    }
    if (p === 'tee') {
      for (const a of args) {
        if (a.text.startsWith('-')) continue
        if (cmd.stdin.download) this.markDownloaded(a.text)
        this.checkWrite(cmd, a.text, a, cmd.stdin, 'tee')
      }
    } else if (p === 'cp' || p === 'mv' || p === 'install' || p === 'ln' || p === 'rsync') {
      const files = args.filter((a) => !a.text.startsWith('-'))
      const dest = files[files.length - 1]
      if (dest && files.length >= 2) {
        const srcDownloaded = files.slice(0, -1).some((f) => this.isDownloaded(f.text))
        if (srcDownloaded) this.markDownloaded(dest.text)
        for (const src of files.slice(0, -1)) {
          const path = dest.text.endsWith('/') ? dest.text + baseName(src.text) : dest.text
          this.checkWrite(cmd, path, dest, { download: srcDownloaded, decoded: false }, 'copy')
        }
      }
    } else if (p === 'sed' && texts.some((t) => /^-[a-zA-Z]*i|^--in-place/.test(t))) {
      const files = args.filter((a) => !a.text.startsWith('-'))
      const script = texts.find((t, k) => k > 0 && texts[k - 1] === '-e') ?? files[0]?.text ?? ''
      for (const f of files.slice(texts.includes('-e') ? 0 : 1))
        this.checkWrite(cmd, f.text, f, { download: false, decoded: false, text: script }, 'edit')
    } else if (p === 'dd') {
      const of = args.find((a) => a.text.startsWith('of='))
      if (of) this.checkWrite(cmd, of.text.slice(3), of, cmd.stdin, 'redirect')
    }
  }

  /** Judges a write to `path` of content `flow`. */
  private checkWrite(cmd: SimpleCommand, path: string, at: Word, flow: Flow, how: FileWrite['how']): void {
    const text = flow.text ?? ''
    const span = at.span
    if (TRUSTED_YES.test(text))
      this.add(
        'trusted-yes',
        'high',
        span,
        'Marks a software source as trusted without any signature, so anything it serves gets installed.',
      )
    if (SOURCES_PATH.test(path) && (path.startsWith('/etc/apt') || /sources\.list/.test(path))) {
      const urls = [...text.matchAll(URL_RE)].map((m) => m[0])
      const kinds = urls.map((u) => sourceKind(u, text))
      if (how === 'edit' && urls.length === 0 && !/^\s*\$?\s*a\b|\ba\\?\s*deb\b/.test(text)) {
        this.add(
          'mirror-change',
          'low',
          span,
          "Edits your software sources; apt still checks Ubuntu's signatures.",
        )
      } else if (
        urls.length > 0 &&
        kinds.every((k) => k === 'official' || k === 'mirror') &&
        !flow.download
      ) {
        this.add(
          'mirror-change',
          'low',
          span,
          "Switches to another Ubuntu mirror; apt still checks Ubuntu's signatures, so this is safe.",
        )
      } else {
        this.add(
          'new-apt-source',
          'high',
          span,
          'Adds a new software source that can replace any package on your system, including security updates.',
        )
      }
      return
    }
    if (KEYRING_PATH.test(path)) {
      this.add(
        'new-apt-key',
        'high',
        span,
        'Adds a new key that apt will trust to sign software, so packages signed by its owner install without complaint.',
      )
      return
    }
    if (APT_CONF_PATH.test(path)) {
      if (INSECURE_APT.test(text))
        this.add(
          'allow-unauthenticated',
          'high',
          span,
          'Configures apt to accept packages and sources without valid signatures.',
        )
      else if (VERIFY_PEER_OFF.test(text))
        this.add(
          'tls-disabled',
          'high',
          span,
          'Configures apt to skip checking that it talks to the real server.',
        )
      else if (DOWNGRADE_APT.test(text)) this.add('allow-downgrade', 'high', span, DOWNGRADE_MESSAGE)
      return
    }
    const takeover = judgeTakeoverWrite(path, flow, span)
    if (takeover) {
      this.findings.push(...takeover)
      return
    }
    if (/^\/etc\/sudoers(\.d\/.*)?$/.test(path)) {
      this.add(
        'sudoers',
        'high',
        span,
        'Changes who may run commands as administrator, often without a password.',
      )
      return
    }
    if (path === '/etc/ld.so.preload') {
      this.add(
        'ld-preload',
        'high',
        span,
        'Forces a library into every program on the system, a classic way to hide malware.',
      )
      return
    }
    if (/(^|\/)authorized_keys2?$/.test(path)) {
      this.add(
        'authorized-keys',
        'high',
        span,
        'Adds a key that lets someone log in to this computer remotely.',
      )
      return
    }
    if (PERSIST_PATH.test(path)) {
      this.add(
        'persistence',
        'high',
        span,
        'Installs something that starts by itself in the background, even after a reboot.',
      )
      return
    }
    if (USER_RC.test(path)) {
      const bad = flow.download || flow.decoded || /curl|wget|base64|LD_PRELOAD|nc\s/.test(text)
      this.add(
        'persistence',
        bad ? 'high' : 'medium',
        span,
        'Adds commands that run every time you open a terminal.',
      )
      return
    }
    if (
      /^\/etc\/selinux\/config$/.test(path) &&
      /SELINUX\s*=\s*(disabled|permissive)|s\/.*enforcing/i.test(text)
    )
      this.add(
        'disable-protection',
        'high',
        span,
        'Turns off SELinux, a protection that limits what an attacker can do.',
      )
    else if (/randomize_va_space|ptrace_scope/.test(path) && /^\s*0\s*$/.test(text))
      this.add('disable-protection', 'high', span, 'Turns off kernel hardening.')
    else if (flow.download && SYSTEM_DIR.test(path) && cmd.root && /\/s?bin\//.test(path))
      this.add(
        'run-downloaded',
        'high',
        span,
        "Puts a downloaded program among the system's programs, where it runs without any signature check.",
      )
  }
}

const DOWNGRADE_MESSAGE =
  'Lets apt replace packages with older versions, which can bring back security holes that were already fixed.'

/** Span from the first argument word (so `sudo` is not highlighted). */
function spanOf(cmd: SimpleCommand): Span {
  return cmd.span
}

/** Union of the flows of `words`. */
function flowOf(words: readonly Word[]): Flow {
  let f: Flow = NO_FLOW
  for (const w of words) f = mergeFlow(f, { download: w.flow.download, decoded: w.flow.decoded })
  return f
}

/** Decodes `\xNN` and `\NNN` escapes (printf, echo -e). */
function ansiDecode(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\([0-7]{3})/g, (_, h: string | undefined, o: string | undefined) =>
    String.fromCharCode(h ? parseInt(h, 16) : parseInt(o ?? '0', 8)),
  )
}

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

/** Ordinary apt use and read-only diagnostics (DESIGN.md: never `dangerous`, and fine beside a verified fix). */
export function isOrdinary(cmd: SimpleCommand, texts: readonly string[]): boolean {
  const p = cmd.program
  const sub = texts.find((t) => !t.startsWith('-'))
  if (APT.has(p)) {
    if (
      sub === 'update' ||
      sub === 'upgrade' ||
      sub === 'full-upgrade' ||
      sub === 'dist-upgrade' ||
      sub === 'list' ||
      sub === 'policy' ||
      sub === 'show' ||
      sub === 'changelog' ||
      sub === 'search' ||
      sub === 'autoremove' ||
      sub === 'clean' ||
      sub === 'autoclean' ||
      sub === 'check'
    )
      return true
    return (
      ((sub === 'install' || sub === 'reinstall') && texts.includes('--only-upgrade')) || sub === undefined
    )
  }
  if (
    p === 'apt-cache' ||
    p === 'dpkg-query' ||
    p === 'lsb_release' ||
    p === 'uname' ||
    p === 'reboot' ||
    p === 'needrestart' ||
    p === 'uptime' ||
    p === 'df' ||
    p === 'free' ||
    p === 'journalctl' ||
    p === 'dmesg' ||
    p === 'whoami' ||
    p === 'id' ||
    p === 'hostnamectl' ||
    p === 'ls' ||
    p === 'grep' ||
    p === 'head' ||
    p === 'tail' ||
    p === 'debsums' ||
    p === 'ubuntu-security-status' ||
    p === 'apt-listchanges' ||
    p === 'do-release-upgrade'
  )
    return true
  if (p === 'dpkg')
    return (
      texts.some((t) =>
        /^(-l|-s|-L|--list|--status|--listfiles|--audit|-C|--configure|-a|--get-selections|--print-architecture)$/.test(
          t,
        ),
      ) && !texts.some((t) => /^-[a-zA-Z]*i$|^--install$/.test(t))
    )
  if (p === 'cat' || p === 'less' || p === 'more') return cmd.redirects.length === 0
  if (p === 'systemctl')
    return /^(status|list-units|list-timers|is-active|is-enabled|restart|daemon-reload)$/.test(sub ?? '')
  if (p === 'pro' || p === 'ubuntu-advantage') return /^(status|security-status|fix|refresh)$/.test(sub ?? '')
  if (p === 'snap') return /^(list|info|refresh|changes|version)$/.test(sub ?? '')
  if (p === 'unattended-upgrade' || p === 'unattended-upgrades') return true
  if (p === 'shutdown') return true
  return false
}
