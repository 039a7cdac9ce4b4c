/**
 * Rule family "file writes": every file a command writes (redirects, `tee`, `cp`/`mv`/`install`, `sed -i`, `dd`,
 * downloads) is judged by where it goes and what goes into it. The other families own the paths they know
 * (apt-sources.ts, system.ts); this file adds sudoers, remote-login keys, persistence, Lifeline's own settings and
 * the system's program folders.
 */
import type { FileWrite, Flow, SimpleCommand } from '../command-model'
import { aptWrite, TRUSTED_NEEDLE, TRUSTED_YES } from './apt-sources'
import type { RuleContext } from './context'
import { SYSTEM_DIR, systemWrite } from './system'

const PERSIST_PATH =
  /^\/etc\/cron(tab|\.d|\.hourly|\.daily|\.weekly|\.monthly)|^\/var\/spool\/cron|^\/etc\/systemd\/(system|user)\/|^\/(usr\/)?lib\/systemd\/(system|user)\/|\.config\/systemd\/user\/|^\/etc\/rc\.local$|^\/etc\/init\.d\/|^\/etc\/profile(\.d\/.*)?$|^\/etc\/bash\.bashrc$|^\/etc\/update-motd\.d\/|^\/etc\/xdg\/autostart\/|\.config\/autostart\/|^\/etc\/udev\/rules\.d\/|^\/etc\/apt\/apt\.conf\.d\/.*Post-Invoke/
const USER_RC = /(^|\/)\.(bashrc|profile|bash_profile|zshrc|zprofile|bash_login|bash_logout)$/
/**
 * Lifeline's own data, settings, policies and keys (main/node/paths.ts: `$XDG_DATA_HOME/lifeline`,
 * `~/.local/share/lifeline`; main/node/config/layers.ts: `/etc/lifeline`; the packaged app's resources).
 */
const LIFELINE_PATH =
  /(^|\/)\.local\/share\/lifeline(\/|$)|(^|\/)\.config\/lifeline(\/|$)|^\/etc\/lifeline(\/|$)|^\$XDG_(DATA|CONFIG)_HOME\/lifeline(\/|$)|^\/(opt|usr\/(local\/)?(share|lib))\/lifeline(\/|$)|(^|\/)resources\/keys\//i

/** Files written by this command: redirects, tee, cp/mv/install/ln targets, `sed -i`, `dd of=`. */
export function writes(cmd: SimpleCommand, texts: readonly string[], out: Flow, ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  for (const r of cmd.redirects) {
    if (
      r.op === '<' ||
      r.op === '<<' ||
      r.op === '<&' ||
      /^\/dev\/(tcp|udp|null|stdout|stderr)/.test(r.target.text)
    )
      continue
    const flow = program === ':' ? cmd.stdin : program === 'cat' && args.length === 0 ? cmd.stdin : out
    checkWrite(cmd, { path: r.target.text, word: r.target, flow, how: 'redirect' }, ctx)
  }
  if (program === 'tee') {
    for (const a of args) {
      if (a.text.startsWith('-') || a.text === '/dev/null') continue
      checkWrite(cmd, { path: a.text, word: a, flow: cmd.stdin, how: 'tee' }, ctx)
    }
  } else if (
    program === 'cp' ||
    program === 'mv' ||
    program === 'install' ||
    program === 'ln' ||
    program === 'rsync'
  ) {
    const files = args.filter((a) => !a.text.startsWith('-'))
    const dest = files[files.length - 1]
    if (dest && files.length >= 2) {
      for (const src of files.slice(0, -1)) {
        const path = dest.text.endsWith('/') ? dest.text + src.text.replace(/^.*\//, '') : dest.text
        const flow = ctx.written(src.text) ?? { download: false, decoded: false, from: src.text }
        checkWrite(cmd, { path, word: dest, flow, how: 'copy' }, ctx)
      }
    }
  } else if (program === 'sed' && texts.some((t) => /^-[a-zA-Z]*i|^--in-place/.test(t))) {
    const files = args.filter((a) => !a.text.startsWith('-'))
    const script = texts.find((t, k) => k > 0 && texts[k - 1] === '-e') ?? files[0]?.text ?? ''
    for (const f of files.slice(texts.includes('-e') ? 0 : 1))
      checkWrite(
        cmd,
        { path: f.text, word: f, flow: { download: false, decoded: false, text: script }, how: 'edit' },
        ctx,
      )
  } else if (program === 'dd') {
    const of = args.find((a) => a.text.startsWith('of='))
    if (of) checkWrite(cmd, { path: of.text.slice(3), word: of, flow: cmd.stdin, how: 'redirect' }, ctx)
  }
}

/** Judges a write to `path` of content `flow`, and remembers it (a later command may run or load the file). */
export function checkWrite(cmd: SimpleCommand, write: FileWrite, ctx: RuleContext): void {
  const { path, flow, how } = write
  if (how !== 'edit') ctx.wrote(path, flow)
  const text = flow.text ?? ''
  const span = write.word.span
  const hidden = flow.download || flow.decoded
  if (TRUSTED_YES.test(text)) ctx.add('trusted-yes', 'high', span, undefined, TRUSTED_NEEDLE)
  if (LIFELINE_PATH.test(path)) {
    ctx.add(
      'lifeline-config',
      'high',
      span,
      hidden ? 'a download' : flow.text === undefined ? undefined : 'text from this paste',
    )
    return
  }
  if (aptWrite(path, flow, span, how, ctx)) return
  if (systemWrite(path, flow, span, ctx)) return
  if (/^\/etc\/sudoers(\.d\/.*)?$/.test(path)) {
    ctx.add('sudoers', 'high', span)
    return
  }
  if (/(^|\/)authorized_keys2?$/.test(path)) {
    ctx.add('authorized-keys', 'high', span)
    return
  }
  if (PERSIST_PATH.test(path)) {
    ctx.add('persistence', 'high', span)
    return
  }
  if (USER_RC.test(path)) {
    const bad = hidden || /curl|wget|base64|LD_PRELOAD|nc\s/.test(text)
    ctx.add('persistence', bad ? 'high' : 'medium', span, 'commands that run every time you open a terminal')
    return
  }
  if (
    /^\/etc\/selinux\/config$/.test(path) &&
    /SELINUX\s*=\s*(disabled|permissive)|s\/.*enforcing/i.test(text)
  )
    ctx.add('disable-protection', 'high', span, 'SELinux')
  else if (/randomize_va_space|ptrace_scope/.test(path) && /^\s*0\s*$/.test(text))
    ctx.add('disable-protection', 'high', span, 'kernel hardening')
  else if (hidden && SYSTEM_DIR.test(path) && cmd.root && /\/s?bin\//.test(path))
    ctx.add('run-downloaded', 'high', span, "a downloaded program put among the system's programs, where it")
}
