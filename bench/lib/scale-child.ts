/**
 * The engine side of the scale figures, in its own process so its peak RSS is its own: reads the saved state,
 * polls every mirror × suite with the real adapters (HTTP fetcher, streaming decompression, file state and piece
 * stores), saves the state — once cold (empty data folder), once warm (nothing changed) — and prints a JSON
 * line with wall time, CPU time, body bytes and peak RSS after each phase. Between the two it waits for a line
 * on stdin, so the parent can reset the server's wire counters.
 *
 * Input: the path of a JSON file `{ mirrors, keyArmored, dataDir, now }` (bench/figures/scale.ts writes it).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readMirrorsState, writeMirrorsState } from '../../main/core/apt/mirror-store'
import { pollMirrors } from '../../main/core/apt/poller'
import type { MirrorConfig } from '../../main/core/model'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { createDecompressStream, createDecompressor } from '../../main/node/decompress'
import { createFileIndexStore } from '../../main/node/file-index-store'
import { createFileStateStore } from '../../main/node/file-state-store'
import { createFetcher } from '../../main/node/http-fetcher'

interface Input {
  readonly mirrors: readonly MirrorConfig[]
  readonly keyArmored: string
  readonly dataDir: string
  readonly now: number
}

const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Input
const keyring = await loadKeyring([{ data: input.keyArmored, role: 'archive', name: 'Lab archive key' }])
const store = createFileStateStore(join(input.dataDir, 'state'))
const indexes = createFileIndexStore(join(input.dataDir, 'state', 'indexes'))
const ports = {
  fetcher: createFetcher(),
  decompressor: createDecompressor(),
  decompressStream: createDecompressStream(),
  indexes,
}

/**
 * This process's peak resident memory in MB: VmHWM of /proc/self/status, the high-water mark of its own memory.
 * Not process.resourceUsage().maxRSS: Linux carries a spawned child's maxRSS over from its parent's memory at the
 * fork, so it reported the bench parent (which serves the 631 MB archive) whenever that was the larger.
 */
function peakRssMb(): number {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
  if (!hwm) throw new Error('no VmHWM line in /proc/self/status: the scale figures need Linux')
  return Number(hwm[1]) / 1024
}

async function phase(now: number) {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const previous = await readMirrorsState(store, indexes)
  const r = await pollMirrors({ mirrors: input.mirrors, keyring, now, previous, ports })
  const problem = await writeMirrorsState(store, indexes, r.state)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const states: Record<string, number> = {}
  for (const s of r.statuses) states[s.state] = (states[s.state] ?? 0) + 1
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bodyBytes: r.bytesTransferred,
    jobs: r.statuses.length,
    notModified: r.statuses.filter((s) => s.notModified).length,
    states,
    problem: problem?.code ?? null,
    maxRssMb: peakRssMb(),
  }
}

async function nextLine(): Promise<void> {
  for await (const chunk of process.stdin) if (String(chunk).includes('\n')) return
}

process.stdout.write(`${JSON.stringify({ cold: await phase(input.now) })}\n`)
await nextLine()
process.stdout.write(`${JSON.stringify({ warm: await phase(input.now + 60_000) })}\n`)
process.exit(0)
