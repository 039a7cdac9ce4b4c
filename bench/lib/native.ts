/**
 * Native anchors: times whole-process runs of Debian tools (gpgv, grep-dctrl, dpkg) in the same bench run.
 *
 * hyperfine (`-N`, no intermediate shell) is used when installed because it subtracts nothing and adds nothing
 * but the fork/exec; otherwise each run is a `spawnSync` timed here (adds Node's own spawn cost, ~1 ms).
 * A missing tool is reported, never thrown: the bench degrades to "not installed".
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { summarize } from './stats'
import type { Summary } from './stats'

/** A timed native command, or why it could not be timed. */
export type NativeTiming =
  | {
      readonly ok: true
      readonly summary: Summary
      readonly timer: 'hyperfine' | 'spawnSync'
      readonly command: string
    }
  | { readonly ok: false; readonly reason: string; readonly command: string }

const found = new Map<string, string | undefined>()

/** Absolute path of `tool` on PATH, or undefined when it is not installed. */
export function which(tool: string): string | undefined {
  if (!found.has(tool)) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' })
    const path = r.status === 0 ? r.stdout.trim() : ''
    found.set(tool, path === '' ? undefined : path)
  }
  return found.get(tool)
}

/** Shell-words quoting for hyperfine's `-N` splitter (it accepts single quotes). */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}

/** Options of `timeProcess`. */
export interface ProcessOptions {
  readonly runs: number
  readonly warmup: number
  /** Extra environment variables for the timed process. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** Accept any exit status (e.g. `lifeline check` exits 1 when this machine is affected). */
  readonly anyExit?: boolean | undefined
}

function viaHyperfine(command: string, opts: ProcessOptions): Summary | string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-hf-'))
  try {
    const json = join(dir, 'out.json')
    const r = spawnSync(
      'hyperfine',
      [
        '-N',
        '--style',
        'none',
        ...(opts.anyExit ? ['-i'] : []),
        '--warmup',
        String(opts.warmup),
        '--runs',
        String(opts.runs),
        '--export-json',
        json,
        command,
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...opts.env } },
    )
    if (r.status !== 0)
      return `hyperfine failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? ''}`
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { results?: { times?: number[] }[] }
    const times = parsed.results?.[0]?.times
    if (!times || times.length === 0) return 'hyperfine returned no times'
    return summarize(times.map((s) => s * 1000))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function viaSpawn(cmd: string, args: readonly string[], opts: ProcessOptions): Summary | string {
  const samples: number[] = []
  for (let i = 0; i < opts.warmup + opts.runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, { stdio: 'ignore', env: { ...process.env, ...opts.env } })
    const ms = performance.now() - t0
    if (r.error) return r.error.message
    if (r.status !== 0 && !opts.anyExit) return `${cmd} exited with ${r.status}`
    if (i >= opts.warmup) samples.push(ms)
  }
  return summarize(samples)
}

/**
 * Times `cmd args…` as a whole process (start to exit, output discarded), `runs` times after `warmup` runs.
 * Fails soft: a missing tool or a non-zero exit comes back as `{ ok: false, reason }`.
 */
export function timeProcess(cmd: string, args: readonly string[], opts: ProcessOptions): NativeTiming {
  const command = [cmd, ...args].map(quote).join(' ')
  if (which(cmd) === undefined && !cmd.includes('/')) return { ok: false, reason: 'not installed', command }
  if (which('hyperfine') !== undefined) {
    const s = viaHyperfine(command, opts)
    if (typeof s !== 'string') return { ok: true, summary: s, timer: 'hyperfine', command }
    return { ok: false, reason: s, command }
  }
  const s = viaSpawn(cmd, args, opts)
  if (typeof s !== 'string') return { ok: true, summary: s, timer: 'spawnSync', command }
  return { ok: false, reason: s, command }
}
