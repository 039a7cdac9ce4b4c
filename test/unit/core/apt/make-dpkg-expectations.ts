/**
 * Regenerates test/fixtures/versions/dpkg-expectations.tsv from real versions, with dpkg as the oracle.
 *
 * Run: `npx tsx test/unit/core/apt/make-dpkg-expectations.ts` (needs dpkg). Versions come from every Packages
 * index and dpkg status file under test/fixtures and ../shared/fixtures that exists; pairs are drawn with a fixed
 * seed: neighbours of the same package, random pairs, and small mutations (~, +b1, .0, epochs) of real versions.
 * Every expectation is computed by `dpkg --compare-versions` in one generated shell script (no per-pair spawn).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../../..')
const sources = [
  'test/fixtures/debian/bookworm-security_main_binary-amd64_Packages',
  'test/fixtures/ubuntu/apt/noble-security_multiverse_binary-amd64_Packages',
  'test/fixtures/ubuntu/apt/jammy-backports_main_binary-amd64_Packages.2022-10-09',
  'test/fixtures/ubuntu/apt/jammy-backports_universe_binary-amd64_Packages.2022-10-09',
  'test/fixtures/ubuntu/apt/jammy-security_multiverse_binary-amd64_Packages.2022-10-09',
  '../shared/fixtures/debian/dpkg_status.bookworm',
  '../shared/fixtures/ubuntu/dpkg_status.jammy-2022-10-09',
]

const byPackage = new Map<string, Set<string>>()
for (const rel of sources) {
  const p = join(root, rel)
  if (!existsSync(p)) continue
  let pkg = ''
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (line.startsWith('Package: ')) pkg = line.slice(9).trim()
    else if (line.startsWith('Version: ')) add(pkg, line.slice(9).trim())
    else if (line.startsWith('Source: ')) {
      const m = /\(([^)]+)\)/.exec(line)
      if (m?.[1] !== undefined) add(line.slice(8).split(' ')[0] ?? '', m[1])
    }
  }
}
function add(pkg: string, v: string): void {
  let s = byPackage.get(pkg)
  if (s === undefined) byPackage.set(pkg, (s = new Set()))
  s.add(v)
}

let seed = 20261121
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return (seed >>> 8) % n
}

const all = [...new Set([...byPackage.values()].flatMap((s) => [...s]))].sort()
const pairs: [string, string][] = []
for (const vs of byPackage.values()) {
  const list = [...vs].sort()
  for (let i = 1; i < list.length; i++) pairs.push([list[i - 1] ?? '', list[i] ?? ''])
}
for (let i = 0; i < 3000; i++) pairs.push([all[rand(all.length)] ?? '', all[rand(all.length)] ?? ''])
const mutations = [
  (v: string) => v + '~',
  (v: string) => v + '~rc1',
  (v: string) => v + '+b1',
  (v: string) => v + '.0',
  (v: string) => v + 'a',
  (v: string) => (v.includes(':') ? v : '1:' + v),
  (v: string) => v.replace(/\d+/, (d) => '0' + d),
  (v: string) => v.replace(/\d+$/, (d) => String(Number(d) + 1)),
  (v: string) => (v.includes('-') ? v : v + '-0'),
]
for (let i = 0; i < 1500; i++) {
  const v = all[rand(all.length)] ?? '1'
  const m = mutations[rand(mutations.length)] ?? ((x: string) => x)
  pairs.push(rand(2) === 0 ? [v, m(v)] : [m(v), v])
}
const edge: [string, string][] = [
  ['1.0~rc1', '1.0'],
  ['1.0', '1.0+b1'],
  ['1.0~', '1.0~~'],
  ['1.0~~a', '1.0~~'],
  ['1:0.1', '2.0'],
  ['0:1.0', '1.0'],
  ['00:1.0', '0:1.0'],
  ['1.0-1', '1.0-1ubuntu0.1'],
  ['1.0a', '1.0+'],
  ['1.0.', '1.0+'],
  ['1.0', '1.0-0'],
  ['1.0-', '1.0'].map((x) => x) as [string, string],
  ['2.30-0ubuntu2', '2.30-0ubuntu10'],
  ['1.18446744073709551616', '1.18446744073709551615'],
  ['1.99999999999999999999999', '1.100000000000000000000000'],
  ['9999999999:1', '10000000000:0'],
  ['1.001', '1.1'],
  ['1.0-1~bpo1', '1.0-1'],
  ['a', 'b'],
  ['1.2.3', '1.2.3'],
  ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12'],
  ['1.9.13p3-1+deb12u1', '1.9.13p3-1+deb12u2'],
  ['2.9.14+dfsg-1.3~deb12u4', '2.9.14+dfsg-1.3'],
  ['1:2.0', '1:2.0~'],
  ['1.0-a', '1.0-A'],
  ['1.0-1.', '1.0-1~'],
  ['1:1.2.3-4:5', '1:1.2.3-4'],
  ['1.0-2-3', '1.0-2-2'],
]
pairs.push(...edge.filter((p) => p[0] !== '1.0-'))

const uniq = new Map<string, [string, string]>()
for (const p of pairs)
  if (p[0] !== '' && p[1] !== '' && !/[\s'\t]/.test(p[0] + p[1])) uniq.set(p.join('\t'), p)
const list = [...uniq.values()]

const dir = mkdtempSync(join(tmpdir(), 'dpkg-exp-'))
const script = join(dir, 'run.sh')
writeFileSync(script, dpkgScript(list))
const out = execFileSync('sh', [script], { encoding: 'utf8', maxBuffer: 64 << 20 })
  .trim()
  .split('\n')
if (out.length !== list.length) throw new Error(`dpkg gave ${out.length} answers for ${list.length} pairs`)
const rows = list.map(([a, b], i) => `${a}\t${b}\t${out[i]}`)
writeFileSync(
  join(root, 'test/fixtures/versions/dpkg-expectations.tsv'),
  `# a\tb\tdpkg --compare-versions result (-1 a<b, 0 equal, 1 a>b, error: dpkg refuses the syntax); made by test/unit/core/apt/make-dpkg-expectations.ts\n` +
    rows.join('\n') +
    '\n',
)
console.log(`${rows.length} pairs`)

/** One shell script answering every pair with -1 / 0 / 1, one line each. */
export function dpkgScript(ps: readonly (readonly [string, string])[]): string {
  const lines = [
    '#!/bin/sh',
    'c() { dpkg --compare-versions "$1" lt "$2" 2>/dev/null; r=$?; if [ $r = 0 ]; then echo -1; elif [ $r != 1 ]; then echo error; elif dpkg --compare-versions "$1" eq "$2" 2>/dev/null; then echo 0; else echo 1; fi; }',
  ]
  for (const [a, b] of ps) lines.push(`c '${a}' '${b}'`)
  return lines.join('\n') + '\n'
}
