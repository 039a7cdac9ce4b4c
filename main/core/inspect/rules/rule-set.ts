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
import type { AptUpgrade } from './packages'
import { denyUnknownRoot, isOrdinary } from './root-allowlist'
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
  readonly upgrades: AptUpgrade[] = []
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
    const program = cmd.program
    const texts = cmd.argv.slice(1).map((a) => a.text)
    const before = ctx.findings.length
    this.environmentRules(cmd)
    const out = this.programOutput(cmd, texts, walker)
    sourceCommands(cmd, texts, ctx)
    packageRules(cmd, texts, ctx, this.upgrades)
    systemRules(cmd, texts, ctx)
    rawNetwork(cmd, ctx)
    writes(cmd, texts, out, ctx)
    runsWrittenProgram(cmd, walker, ctx)

    // A low finding (a mirror switch) says nothing bad; default-deny still judges what else the command does.
    const raised = ctx.findings.slice(before).some((f) => f.severity !== 'low')
    if (cmd.root && !raised) denyUnknownRoot(cmd, texts, ctx)
    const ordinary = ctx.findings.length === before && isOrdinary(cmd, texts)
    if (program !== ':') this.commands.push({ span: cmd.span, ordinary, depth: cmd.depth })
    if (!ordinary && program !== ':') this.unusual.push(cmd.span)
    return out
  }

  /** `LD_PRELOAD=… cmd`, `GIT_SSL_NO_VERIFY=1 cmd`: what the command's own environment does to it. */
  private environmentRules(cmd: SimpleCommand): void {
    for (const [name, w] of cmd.env) {
      if (name === 'LD_PRELOAD' || name === 'LD_LIBRARY_PATH' || name === 'LD_AUDIT')
        this.ctx.add(
          'ld-preload',
          name === 'LD_LIBRARY_PATH' && !cmd.root ? 'medium' : 'high',
          w.span,
          'a library into the program it starts',
        )
      tlsEnv(this.ctx, name, w)
    }
  }

  /** What the program writes to stdout (a download, decoded bytes, text it passes on), and the files it downloads. */
  private programOutput(cmd: SimpleCommand, texts: readonly string[], walker: Walker): Flow {
    const ctx = this.ctx
    const program = cmd.program
    if (
      SHELLS.has(program) ||
      INTERPRETERS.has(program) ||
      program === 'source' ||
      program === '.' ||
      program === 'eval'
    )
      return interpreter(cmd, walker, ctx)
    if (DOWNLOADERS.has(program)) {
      const d = downloader(cmd, ctx)
      const flow: Flow = { download: true, decoded: false, urls: d.urls, from: program }
      for (const o of d.outputs) checkWrite(cmd, { path: o.text, word: o, flow, how: 'download' }, ctx)
      return d.out
    }
    if (program === 'gpg' || program === 'gpg2')
      return (
        gpg(cmd, ctx, (path, word, flow) => checkWrite(cmd, { path, word, flow, how: 'key-export' }, ctx)) ??
        NO_FLOW
      )
    return transformOutput(cmd, texts, ctx) ?? NO_FLOW
  }
}
