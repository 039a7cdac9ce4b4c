/**
 * Attack: `verify -` and `inspect -` read all of standard input before checking its size (2.2 GB piped in took
 * 6.5 GB of memory), so `producer | lifeline verify -` could exhaust the machine. Reading now stops at the cap:
 * the command refuses the input (INPUT_TOO_LARGE, its usage exit code), the writer gets EPIPE, and memory stays
 * bounded. Real child processes, a real pipe, 192 MiB offered.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Limits } from '../../main/core/limits'

const ROOT = join(__dirname, '..', '..')
const OFFERED = 192 * 1024 * 1024
const MiB = 1024 * 1024
// Prints the child's peak resident memory (KiB) on exit; stderr is a pipe, written synchronously on Linux. The
// peak is VmHWM from /proc/self/status, the high-water mark of this process's own memory. Not
// process.resourceUsage().maxRSS: Linux carries a spawned child's maxRSS over from the parent's memory at fork, so a
// child of a large test worker reports the worker's size and a real growth in the child could go unseen.
const REPORT_RSS =
  'data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("\\nMAXRSS_KB="+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))'

interface Run {
  readonly code: number | null
  readonly stderr: string
  readonly maxRssBytes: number
  readonly written: number
}

/** Runs `lifeline <args>` feeding up to `offer` bytes on stdin (backpressure respected, stops at EPIPE). */
function run(args: readonly string[], offer: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT_RSS, 'bin/lifeline.mjs', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let written = 0
    let stopped = false
    child.stdin.on('error', () => (stopped = true))
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    const pump = (): void => {
      while (!stopped && written < offer) {
        written += chunk.length
        if (!child.stdin.write(chunk)) {
          child.stdin.once('drain', pump)
          return
        }
      }
      if (!stopped) child.stdin.end()
    }
    pump()
    child.on('error', reject)
    child.on('close', (code) => {
      stopped = true
      const m = /MAXRSS_KB=(\d+)/.exec(stderr)
      resolve({ code, stderr, maxRssBytes: Number(m?.[1] ?? NaN) * 1024, written })
    })
  })
}

describe('attack: unbounded standard input', () => {
  it.each([
    ['verify', 2, Limits.size.releaseBytes],
    ['inspect', 64, Limits.size.pastedTextBytes],
  ])(
    'lifeline %s - stops reading at the cap with INPUT_TOO_LARGE (exit %i) and bounded memory',
    async (command, exitCode, cap) => {
      const small = await run([command, '-'], 1024)
      expect(small.maxRssBytes).toBeGreaterThan(0)
      const big = await run([command, '-'], OFFERED)
      // Memory: what a small input costs, plus about the cap — nowhere near the 192 MiB offered.
      expect(big.maxRssBytes - small.maxRssBytes).toBeLessThan(cap + 48 * MiB)
      // The child stopped reading: the writer was cut off long before offering everything.
      expect(big.written).toBeLessThan(cap + 16 * MiB)
      expect(big.stderr).toContain('INPUT_TOO_LARGE')
      expect(big.stderr).toContain(`larger than ${cap} bytes`)
      expect(big.code).toBe(exitCode)
    },
    60_000,
  )
})
