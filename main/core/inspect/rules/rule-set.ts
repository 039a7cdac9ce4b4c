/**
 * The rules as one sink for the walker (walk.ts): each command goes through every family in turn, then through
 * default-deny for root (root-allowlist.ts).
 *
 * Families: download-run.ts (downloads, decoders, shells), apt-sources.ts (sources, keys, apt settings),
 * packages.ts (apt/dpkg options, package files, snaps, other package managers), system.ts (protections, accounts,
 * setuid and capabilities, kernel, DNS, containers), file-writes.ts (where each written file goes).
 */
import type { Flow, SimpleCommand, Span, Word } from '../command-model'
import type { CommandSink, Walker } from '../walk'
import { NO_FLOW } from '../command-model'
import { gpg, sourceCommands } from './apt-sources'
import { RuleContext } from './context'
import {
  DOWNLOADERS,
  downloader,
  INTERPRETERS,
  interpreter,
  rawNetwork,
  runsWrittenProgram,
  SHELLS,
  tlsEnv,
  transformOutput,
} from './download-run'
import { checkWrite, writes } from './file-writes'
import { packageRules } from './packages'
import { allowedAsRoot, isOrdinary } from './root-allowlist'
import { systemRules } from './system'

export type { RawFinding } from './context'

/** What the caller tells the rules about this machine. */
export interface RuleSetOptions {
  /** Base URLs of the mirrors this machine is configured with or Lifeline verified (trusted source shapes). */
  readonly mirrors?: readonly string[] | undefined
}

/** The rules, as a sink for the walker. */
export class RuleSet implements CommandSink {
  private readonly ctx: RuleContext
  /** What apt commands install (`--only-upgrade pkg`, `pkg=version`), for `knownFixes`. */
  readonly upgrades: { pkg: string; version: string | undefined }[] = []
  /** Commands that are not ordinary apt use or read-only diagnostics (see `isOrdinary`). */
  readonly unusual: Span[] = []
  /** Every command's span, whether it is ordinary, and whether it raised a finding. */
  readonly commands: { readonly span: Span; readonly ordinary: boolean; readonly depth: number }[] = []

  constructor(opts: RuleSetOptions = {}) {
    this.ctx = new RuleContext(opts.mirrors ?? [])
  }

  /** Every finding raised so far. */
  get findings(): RuleContext['findings'] {
    return this.ctx.findings
  }

  assignment(name: string, value: Word, exported: boolean): void {
    if (name === 'LD_PRELOAD' || (name === 'LD_LIBRARY_PATH' && exported))
      this.ctx.add(
        'ld-preload',
        name === 'LD_PRELOAD' ? 'high' : 'medium',
        value.span,
        'a library into every program you start',
      )
    tlsEnv(this.ctx, name, value)
  }

  command(cmd: SimpleCommand, walker: Walker): Flow {
    const ctx = this.ctx
    const p = cmd.program
    const texts = cmd.argv.slice(1).map((a) => a.text)
    const before = ctx.findings.length
    for (const [name, w] of cmd.env) {
      if (name === 'LD_PRELOAD' || name === 'LD_LIBRARY_PATH' || name === 'LD_AUDIT')
        ctx.add(
          'ld-preload',
          name === 'LD_LIBRARY_PATH' && !cmd.root ? 'medium' : 'high',
          w.span,
          'a library into the program it starts',
        )
      tlsEnv(ctx, name, w)
    }
    let out: Flow = NO_FLOW
    if (SHELLS.has(p) || INTERPRETERS.has(p) || p === 'source' || p === '.' || p === 'eval')
      out = interpreter(cmd, walker, ctx)
    else if (DOWNLOADERS.has(p)) {
      const d = downloader(cmd, ctx)
      out = d.out
      for (const o of d.outputs)
        checkWrite(cmd, o.text, o, { download: true, decoded: false, urls: d.urls, from: p }, 'download', ctx)
    } else if (p === 'gpg' || p === 'gpg2')
      out = gpg(cmd, ctx, (path, at, flow) => checkWrite(cmd, path, at, flow, 'key-export', ctx)) ?? NO_FLOW
    else out = transformOutput(cmd, texts, ctx) ?? NO_FLOW

    sourceCommands(cmd, texts, ctx)
    packageRules(cmd, texts, ctx, this.upgrades)
    systemRules(cmd, texts, ctx)
    rawNetwork(cmd, ctx)
    writes(cmd, texts, out, ctx)
    runsWrittenProgram(cmd, walker, ctx)

    // A low finding (a mirror switch) says nothing bad; default-deny still judges what else the command does.
    const raised = ctx.findings.slice(before).some((f) => f.severity !== 'low')
    if (cmd.root && !raised && !allowedAsRoot(cmd, texts, ctx)) {
      const written = [
        ...cmd.redirects.filter((r) => !r.op.startsWith('<')).map((r) => r.target.text),
        ...(p === 'tee' ? texts.filter((t) => !t.startsWith('-')) : []),
      ].filter((t) => !/^\/dev\/null$/.test(t))
      const what = written.length > 0 ? `\`${p}\` writing ${written.join(', ')}` : `\`${p}\``
      ctx.add('unknown-root-command', 'medium', cmd.argv[0]?.span ?? cmd.span, what)
    }
    const ordinary = ctx.findings.length === before && isOrdinary(cmd, texts)
    if (p !== ':') this.commands.push({ span: cmd.span, ordinary, depth: cmd.depth })
    if (!ordinary && p !== ':') this.unusual.push(cmd.span)
    return out
  }
}
