/**
 * bin/lifeline.mjs picks the bundle (out/cli/main.js, made by scripts/build-cli.mjs) only when it was built from
 * the sources as they are now, and the TypeScript sources otherwise — so a checkout never runs stale code.
 * Tested on a miniature checkout: the real bin script, a one-file "CLI" in both forms, node_modules linked.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const REPO = resolve(import.meta.dirname, '../..')
let tmp: TempDir
let src: string

function run(env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [join(tmp.path, 'bin', 'lifeline.mjs')], {
    env: { ...process.env, LIFELINE_CLI: '', ...env },
    encoding: 'utf8',
  }).trim()
}

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-bin-')
  mkdirSync(join(tmp.path, 'bin'))
  mkdirSync(join(tmp.path, 'main', 'cli'), { recursive: true })
  mkdirSync(join(tmp.path, 'out', 'cli'), { recursive: true })
  copyFileSync(join(REPO, 'bin', 'lifeline.mjs'), join(tmp.path, 'bin', 'lifeline.mjs'))
  symlinkSync(join(REPO, 'node_modules'), join(tmp.path, 'node_modules'), 'dir')
  // As in the repository: ES modules (tsx would otherwise load main.ts as CommonJS).
  writeFileSync(join(tmp.path, 'package.json'), '{ "type": "module" }\n')
  src = join(tmp.path, 'main', 'cli', 'main.ts')
  writeFileSync(src, "export async function main(): Promise<number> { console.log('sources'); return 0 }\n")
  writeFileSync(
    join(tmp.path, 'out', 'cli', 'main.js'),
    "export async function main() { console.log('bundle'); return 0 }\n",
  )
  writeFileSync(
    join(tmp.path, 'out', 'cli', 'inputs.json'),
    JSON.stringify({ version: 1, inputs: [['main/cli/main.ts', statSync(src).mtimeMs]] }),
  )
})
afterAll(() => tmp.cleanup())

describe('bin/lifeline.mjs in a checkout', () => {
  it('runs the bundle when it was built from the current sources', () => {
    expect(run()).toBe('bundle')
  })

  it('runs the sources when LIFELINE_CLI=source', () => {
    expect(run({ LIFELINE_CLI: 'source' })).toBe('sources')
  })

  it('runs the sources once a source changed after the build', () => {
    const later = new Date(statSync(src).mtimeMs + 5_000)
    utimesSync(src, later, later)
    expect(run()).toBe('sources')
  })
})
