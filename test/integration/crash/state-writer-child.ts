/**
 * Child process of the SIGKILL crash test: loads the state (it must be valid or absent), then writes new states
 * in a tight loop through the real file state store until it is killed.
 *
 * Each state carries its own checksum, so a partial or mixed file cannot pass for a valid one. Usage:
 * `node state-writer-child.mjs <dir>`; prints `loaded <seq>` (or `invalid <why>`) then `writing`.
 */
import { createHash } from 'node:crypto'
import { createFileStateStore } from '../../../main/node/file-state-store'

/** The shape written by the child. */
export interface CrashState {
  readonly seq: number
  readonly items: readonly string[]
  readonly sum: string
}

/** Checksum of a state's content. */
export function crashStateSum(seq: number, items: readonly string[]): string {
  return createHash('sha256')
    .update(`${seq}\n${items.join('\n')}`)
    .digest('hex')
}

/** Why a loaded value is not a valid state, or undefined when it is. */
export function invalidReason(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object'
  const s = v as Partial<CrashState>
  if (typeof s.seq !== 'number' || !Array.isArray(s.items) || typeof s.sum !== 'string') return 'bad shape'
  if (s.items.length !== 400) return `partial: ${s.items.length} items`
  if (crashStateSum(s.seq, s.items) !== s.sum) return 'checksum mismatch'
  return undefined
}

async function main(dir: string): Promise<void> {
  let corrupt = 0
  const store = createFileStateStore(dir, { onCorrupt: () => corrupt++ })
  const loaded = await store.read<CrashState>('crash')
  let seq = 0
  if (loaded !== undefined) {
    const why = invalidReason(loaded)
    process.stdout.write(why ? `invalid ${why}\n` : `loaded ${loaded.seq}\n`)
    seq = loaded.seq
  } else {
    process.stdout.write(corrupt > 0 ? 'invalid moved aside\n' : 'loaded none\n')
  }
  process.stdout.write('writing\n')
  for (;;) {
    seq++
    // ~40 KB per state, so a kill often lands mid-write.
    const items = Array.from({ length: 400 }, (_, i) => `${seq}:${i}:${'x'.repeat(90)}`)
    await store.write('crash', { seq, items, sum: crashStateSum(seq, items) })
  }
}

if (process.argv[2]) void main(process.argv[2])
