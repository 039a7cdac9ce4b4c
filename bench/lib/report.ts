/**
 * The bench's result rows, the console table, bench/results.json and bench/RESULTS.md.
 */
import { cpus, loadavg, totalmem } from 'node:os'

/** Whether a figure met its target in this run. `pending` = the feature to measure is not there yet. */
export type Verdict = 'met' | 'missed' | 'pending' | 'error' | 'info'

/** One line of the table. */
export interface FigureRow {
  /** Stable id for results.json (e.g. `inrelease.noble`). */
  readonly id: string
  /** Which issue names the figure. */
  readonly issue: string
  readonly figure: string
  /** The measured value, human-readable. */
  readonly measured: string
  readonly target: string
  /** The native anchor measured in the same run, or "not installed" / "n/a". */
  readonly anchor: string
  readonly verdict: Verdict
  /** Raw numbers behind the row (ms, MB/s, ops/s, bytes) for results.json. */
  readonly numbers: Readonly<Record<string, number | string | null>>
  readonly notes?: readonly string[]
}

/** Context handed to every figure. */
export interface BenchContext {
  readonly quick: boolean
  /** Repository root. */
  readonly root: string
  /** A scratch directory removed at the end of the run. */
  readonly tmp: string
  readonly log: (line: string) => void
}

/** Machine facts printed above the table (the machine may be busy with other work). */
export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly memoryGb: number
  readonly node: string
  readonly platform: string
  readonly loadavg: readonly number[]
  readonly loaded: boolean
  readonly date: string
}

/** Reads the machine facts now. */
export function machineInfo(): MachineInfo {
  const c = cpus()
  const load = loadavg().map((x) => Math.round(x * 100) / 100)
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: load,
    loaded: (load[0] ?? 0) > c.length,
    date: new Date().toISOString(),
  }
}

/** Machine facts as text lines, with the load warning when loadavg > cores. */
export function machineLines(m: MachineInfo, label: string): string[] {
  const lines = [
    `${label}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}`,
    `load average ${m.loadavg.join(' ')} (1/5/15 min)`,
  ]
  if (m.loaded)
    lines.push(
      `WARNING: load average ${m.loadavg[0]} > ${m.cores} cores: the machine is busy, figures are pessimistic`,
    )
  return lines
}

const HEAD = ['#', 'figure', 'measured', 'target', 'native anchor (same run)', 'verdict'] as const

function cells(rows: readonly FigureRow[]): string[][] {
  return rows.map((r, i) => [String(i + 1), r.figure, r.measured, r.target, r.anchor, r.verdict])
}

/** The console table: fixed-width columns. */
export function textTable(rows: readonly FigureRow[]): string {
  const body = cells(rows)
  const widths = HEAD.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)))
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd()
  const sep = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(HEAD), sep, ...body.map(line)].join('\n')
}

/** The same table in Markdown. */
export function markdownTable(rows: readonly FigureRow[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|')
  const body = cells(rows)
  return [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ].join('\n')
}

/** The notes of every row, numbered like the table. */
export function notesLines(rows: readonly FigureRow[]): string[] {
  const out: string[] = []
  rows.forEach((r, i) => {
    for (const n of r.notes ?? []) out.push(`${i + 1}. ${n}`)
  })
  return out
}
