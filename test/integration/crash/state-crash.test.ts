/**
 * Crash safety of the state store (main/node/file-state-store.ts): a child process writes state in a
 * loop and is killed with SIGKILL at random moments, 200 times. Every restart must load a valid state — never
 * an empty, partial or moved-aside one — and the sequence never goes backwards.
 *
 * The child is bundled once with esbuild (a tsx start per child would cost ~0.5 s × 200); it runs the real
 * main/node/file-state-store.ts.
 */
import { spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileStateStore } from '../../../main/node/file-state-store'
import { makeTempDir } from '../../support/temp-dir'
import type { TempDir } from '../../support/temp-dir'
import { invalidReason } from './state-writer-child'

const RESTARTS = 200
const PARALLEL = 4

let tmp: TempDir
let bundle: string

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-crash-')
  bundle = join(tmp.path, 'child.mjs')
  await build({
    entryPoints: [join(__dirname, 'state-writer-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  })
})
afterAll(() => tmp.cleanup())

/** Runs one child in `dir`, kills it with SIGKILL `delayMs` after it starts writing; returns its first line. */
function runAndKill(dir: string, delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    let timer: ReturnType<typeof setTimeout> | undefined
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      out += d
      if (timer === undefined && out.includes('writing\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`child ended without SIGKILL: ${out}`))
      else resolve(out.split('\n')[0] ?? '')
    })
  })
}

describe('file state store', () => {
  describe('when the writer is SIGKILLed at random moments', () => {
    it(`loads a valid state after each of ${RESTARTS} restarts`, async () => {
      const perLane = RESTARTS / PARALLEL
      const started = Date.now()
      const lanes = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, lane) => {
          const dir = join(tmp.path, `lane-${lane}`)
          const firstLines: string[] = []
          let lastSeq = 0
          for (let i = 0; i < perLane; i++) {
            firstLines.push(await runAndKill(dir, Math.floor(Math.random() * 40)))
            // The restart as the app does it: a fresh store on the folder.
            let corrupt = 0
            const loaded = await createFileStateStore(dir, { onCorrupt: () => corrupt++ }).read('crash')
            expect(corrupt).toBe(0)
            if (loaded !== undefined) {
              expect(invalidReason(loaded)).toBeUndefined()
              const seq = (loaded as { seq: number }).seq
              expect(seq).toBeGreaterThanOrEqual(lastSeq)
              lastSeq = seq
            }
          }
          const leftovers = (await readdir(dir)).filter((f) => f.includes('.tmp-')).length
          return { firstLines, lastSeq, leftovers }
        }),
      )
      const lines = lanes.flatMap((l) => l.firstLines)
      const invalid = lines.filter((l) => l.startsWith('invalid'))
      // Every child after the first write in its lane started from a valid, non-empty state.
      const loadedValid = lines.filter((l) => /^loaded \d+$/.test(l)).length
      expect(invalid).toEqual([])
      expect(lanes.every((l) => l.lastSeq > 0)).toBe(true)
      const tempLeft = lanes.reduce((n, l) => n + l.leftovers, 0)
      // Each new writer sweeps the temp files of killed ones: at most the last kill's file is left per lane.
      expect(lanes.every((l) => l.leftovers <= 1)).toBe(true)
      console.log(
        `[crash] ${lines.length} SIGKILL restarts in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
          `${lines.length - invalid.length} loaded a valid state (${loadedValid} non-empty), 0 invalid; ` +
          `highest seq per lane ${lanes.map((l) => l.lastSeq).join('/')}; ${tempLeft} orphan temp files`,
      )
    }, 120_000)
  })
})
