/**
 * What every rule family shares while one text is checked: the findings so far, the files the text wrote or
 * downloaded, and what the caller told the checker about this machine (its mirrors).
 */
import { ruleMessage } from '../catalog'
import type { RuleId, Severity } from '../types'
import type { Flow, Span } from '../command-model'
import { baseName } from '../command-model'

/** A finding before it is placed in the report (0-based line). */
export interface RawFinding {
  readonly rule: RuleId
  readonly severity: Severity
  readonly span: Span
  readonly message: string
  /**
   * Text the highlight belongs on when the span is only where the command starts (`[trusted=yes]` in a here-doc
   * a few lines below `sudo tee`): inspect.ts moves the span onto its first match at or after `span.line`.
   */
  readonly needle?: RegExp | undefined
}

/** Findings in the order they are raised. The one way a finding is made: its message comes from the catalog. */
export class FindingList {
  readonly findings: RawFinding[] = []

  /** Raises `rule` with the catalog's message, `{what}` filled with `what`. */
  add(rule: RuleId, severity: Severity, span: Span, what?: string, needle?: RegExp): void {
    this.findings.push({ rule, severity, span, message: ruleMessage(rule, what), needle })
  }
}

/** The shared state of the rule families. */
export class RuleContext extends FindingList {
  /** Files this text wrote or downloaded, with what went into them (full path and base name). */
  private readonly files = new Map<string, Flow>()
  /** Commands installed as root by a package manager apt does not check (`sudo pip install x` → `x`). */
  readonly foreignInstalled = new Set<string>()

  /** `mirrors`: base URLs of the mirrors this machine is configured with or Lifeline verified. */
  constructor(readonly mirrors: readonly string[] = []) {
    super()
  }

  /** Notes that `path` now holds `flow` (a download, decoded bytes, or text the paste shows). */
  wrote(path: string, flow: Flow): void {
    this.files.set(path, flow)
    this.files.set(baseName(path), flow)
  }

  /** What the text wrote into `path`, if it wrote it. */
  written(path: string): Flow | undefined {
    return this.files.get(path) ?? this.files.get(baseName(path))
  }

  /** True when `path` holds bytes from the network or decoded from hidden text. */
  isDownloaded(path: string): boolean {
    const f = this.written(path)
    return f !== undefined && (f.download || f.decoded)
  }
}
