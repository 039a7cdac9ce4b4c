/**
 * Rule family "packages": apt's and dpkg's options, package files, snaps, and package managers apt does not check.
 *
 * apt installs only what a configured source signed (apt-secure(8)); a `.deb` file, a snap with `--dangerous`, or
 * `sudo pip/npm/gem/cargo install` run code that no Ubuntu key vouches for, as root.
 */
import type { SimpleCommand, Word } from '../command-model'
import { aptOptions } from './apt-sources'
import type { RuleContext } from './context'
import { tls } from './download-run'

/** apt's front ends. */
export const APT: ReadonlySet<string> = new Set(['apt', 'apt-get', 'aptitude'])

/** Package managers whose packages apt does not check. */
const FOREIGN_PMS = new Set([
  'pip',
  'pip3',
  'pip2',
  'npm',
  'yarn',
  'pnpm',
  'gem',
  'cargo',
  'go',
  'cpan',
  'cpanm',
  'easy_install',
  'pipx',
  'uv',
  'composer',
  'bun',
])
/** Programs that download a package and run it in one go: `npx x`, `pipx run x`, `uvx x`, `yarn dlx x`. */
const DOWNLOAD_AND_RUN = new Set(['npx', 'uvx', 'bunx', 'pnpx'])

/** What an apt command installs: a package, and the version it pins (`pkg=1.2-3`), for known fixes. */
export interface AptUpgrade {
  readonly pkg: string
  readonly version: string | undefined
}

/** apt/dpkg/snap/pip… rules. `upgrades` receives what an apt command installs (for known fixes). */
export function packageRules(
  cmd: SimpleCommand,
  texts: readonly string[],
  ctx: RuleContext,
  upgrades: AptUpgrade[],
): void {
  const program = cmd.program
  if (APT.has(program)) aptRules(cmd, texts, ctx, upgrades)
  else if (program === 'dpkg' || program === 'gdebi' || program === 'gdebi-gtk')
    packageFileRules(cmd, texts, ctx)
  else if (program === 'snap') snapRules(cmd, texts, ctx)
  else if (downloadsAndRuns(program, texts)) downloadAndRunRule(cmd, ctx)
  else if (
    FOREIGN_PMS.has(program) ||
    ((program === 'python' || program === 'python3') && texts[0] === '-m' && /^pip/.test(texts[1] ?? ''))
  )
    foreignPackageRules(cmd, texts, ctx)
  else if (program === 'git') {
    for (const a of cmd.argv.slice(1)) if (/sslverify\s*=\s*false/i.test(a.text)) tls(ctx, a)
  }
  if (cmd.root && ctx.foreignInstalled.has(program) && !FOREIGN_PMS.has(program))
    ctx.add(
      'root-package-manager',
      'high',
      cmd.argv[0]?.span ?? cmd.span,
      `\`${program}\`, just installed from outside Ubuntu's archive,`,
    )
}

/** apt: options that skip its checks, package files and URLs, and what it installs. */
function aptRules(
  cmd: SimpleCommand,
  texts: readonly string[],
  ctx: RuleContext,
  upgrades: AptUpgrade[],
): void {
  const args = cmd.argv.slice(1)
  const sub = texts.find((t) => !t.startsWith('-'))
  for (const a of args) {
    if (
      /^--(allow-unauthenticated|allow-insecure-repositories|allow-downgrade-to-insecure-repositories|force-yes)$/.test(
        a.text,
      )
    )
      ctx.add('allow-unauthenticated', 'high', a.span)
    else if (a.text === '--allow-downgrades') ctx.add('allow-downgrade', 'high', a.span)
  }
  aptOptions(cmd, ctx)
  if (sub !== 'install' && sub !== 'reinstall') return
  for (const a of args) {
    if (/\.deb$/.test(a.text) && (a.text.includes('/') || ctx.isDownloaded(a.text))) deb(a, ctx)
    else if (/^[a-z][a-z0-9+.-]*:\/\//.test(a.text)) deb(a, ctx)
  }
  const only = texts.includes('--only-upgrade')
  for (const a of args) {
    if (a.text.startsWith('-') || a.text === sub || /\.deb$|\//.test(a.text)) continue
    const [pkg, version] = a.text.split('=', 2)
    if (only || version !== undefined)
      upgrades.push({ pkg: (pkg ?? '').replace(/:[a-z0-9-]+$/, ''), version })
  }
}

/** dpkg and gdebi: package files installed directly, and the options that skip dpkg's own checks. */
function packageFileRules(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  const i = texts.findIndex((t) => /^(-i|--install|-[a-zA-Z]*i[a-zA-Z]*)$/.test(t))
  if (program !== 'dpkg' || i >= 0)
    for (const a of args.slice(program === 'dpkg' ? i + 1 : 0)) if (!a.text.startsWith('-')) deb(a, ctx)
  for (const a of args) {
    if (/^--force-downgrade$/.test(a.text)) ctx.add('allow-downgrade', 'high', a.span)
    if (/^--force-(bad-verify|all)$/.test(a.text))
      ctx.add(
        'allow-unauthenticated',
        'high',
        a.span,
        "packages (the package tool's safety checks are skipped)",
      )
  }
}

/** snap: `--dangerous`, `--devmode`, and `snap ack` of an assertion from outside the store. */
function snapRules(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const sub = texts.find((t) => !t.startsWith('-'))
  if (sub === 'ack') ctx.add('snap-dangerous', 'high', cmd.span, 'assertion from outside the Snap Store')
  for (const a of cmd.argv.slice(1)) {
    if (a.text === '--dangerous') ctx.add('snap-dangerous', 'high', a.span)
    else if (a.text === '--devmode')
      ctx.add('snap-dangerous', 'medium', a.span, 'without its security confinement')
  }
}

/** True for `npx x`, `uvx x`, `pipx run x`, `uv tool x`, `yarn dlx x`, `npm exec x`: download and run at once. */
function downloadsAndRuns(program: string, texts: readonly string[]): boolean {
  return (
    DOWNLOAD_AND_RUN.has(program) ||
    ((program === 'pipx' || program === 'uv') && /^(run|tool)$/.test(texts[0] ?? '')) ||
    ((program === 'yarn' || program === 'pnpm' || program === 'npm') && /^(dlx|exec|x)$/.test(texts[0] ?? ''))
  )
}

/** A package downloaded and run at once: high as root. */
function downloadAndRunRule(cmd: SimpleCommand, ctx: RuleContext): void {
  const name = cmd.argv
    .slice(1)
    .find((a) => !a.text.startsWith('-') && !/^(run|tool|dlx|exec|x)$/.test(a.text))
  ctx.add(
    'root-package-manager',
    cmd.root ? 'high' : 'medium',
    (name ?? cmd.argv[0] ?? { span: cmd.span }).span,
    `\`${name?.text ?? 'a package'}\`, downloaded and run at once,`,
  )
}

/**
 * pip, npm, gem, cargo… installing as root: high from a source outside Ubuntu's archive or replacing the system's
 * own packages (`--break-system-packages`); what they install is remembered, so running it later is high too.
 */
function foreignPackageRules(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const args = cmd.argv.slice(1)
  const installing = texts.some((t) => /^(install|i|add|get)$/.test(t))
  if (cmd.root && installing) {
    const remote = args.find(
      (a) =>
        /^(-i|--index-url|--extra-index-url|-f|--find-links|--registry|--source)$/.test(a.text) ||
        /^(git\+|https?:\/\/)|\.(tar\.gz|whl|tgz|zip)$/.test(a.text),
    )
    const breaks = args.find((a) => a.text === '--break-system-packages')
    const names = args.filter(
      (a) =>
        !a.text.startsWith('-') &&
        !/^(install|i|add|get|-m|pip3?)$/.test(a.text) &&
        !/^(git\+|https?:\/\/)/.test(a.text),
    )
    for (const n of names) ctx.foreignInstalled.add(n.text.replace(/[<>=!~[].*$/, ''))
    const label = names.map((n) => `\`${n.text}\``).join(', ') || 'software'
    ctx.add(
      'root-package-manager',
      remote || breaks ? 'high' : 'medium',
      (remote ?? breaks ?? cmd.argv[0] ?? { span: cmd.span }).span,
      remote
        ? `${label} from a source outside Ubuntu's archive`
        : breaks
          ? `${label}, replacing the system's own packages,`
          : label,
    )
  }
  for (const a of args) if (/^--trusted-host$|^strict-ssl$/.test(a.text)) tls(ctx, a)
}

/** A package file installed directly (medium from apt's own cache, where apt checked it when downloading). */
function deb(a: Word, ctx: RuleContext): void {
  if (/^\/var\/cache\/apt\/archives\//.test(a.text))
    ctx.add('install-downloaded-deb', 'medium', a.span, "from apt's own cache")
  else ctx.add('install-downloaded-deb', 'high', a.span)
}
