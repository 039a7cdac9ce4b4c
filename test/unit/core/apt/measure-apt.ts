/**
 * Measures the apt parsers against the targets in bench/RESULTS.md (the project bench in bench/ may call the same way):
 *
 *   npx tsx test/unit/core/apt/measure-apt.ts
 *
 * - Packages parsing: a ~50 MB index made by repeating the largest fixture (bookworm-security main amd64),
 *   `parsePackages(text)` in MB/s (median of 5), with and without the UTF-8 decode, next to
 *   `grep-dctrl -s Package,Version -F Package -r . FILE` on the same file when dctrl-tools is installed.
 * - Version comparisons per second: `compareDebianVersions(a, b)` over the 4,637 real pairs of
 *   test/fixtures/versions/dpkg-expectations.tsv.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parsePackages } from '../../../../main/core/apt/indexes'
import { compareDebianVersions } from '../../../../main/core/apt/version'

const fixtures = resolve(import.meta.dirname, '../../../fixtures')
const one = readFileSync(join(fixtures, 'debian/bookworm-security_main_binary-amd64_Packages'))
const copies = Math.ceil(50e6 / one.byteLength)
const big = new Uint8Array(one.byteLength * copies)
for (let i = 0; i < copies; i++) big.set(one, i * one.byteLength)
const mb = big.byteLength / 1e6

function median(f: () => void, runs = 5): number {
  f()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = performance.now()
    f()
    t.push(performance.now() - s)
  }
  t.sort((a, b) => a - b)
  return t[runs >> 1] ?? NaN
}

const text = new TextDecoder().decode(big)
const parseMs = median(() => parsePackages(text))
const fullMs = median(() => parsePackages(new TextDecoder().decode(big)))
console.log(`Packages ${mb.toFixed(1)} MB, ${parsePackages(text).length} entries`)
console.log(`  parsePackages(text):                 ${(mb / (parseMs / 1000)).toFixed(0)} MB/s`)
console.log(`  TextDecoder + parsePackages:         ${(mb / (fullMs / 1000)).toFixed(0)} MB/s`)

const dir = mkdtempSync(join(tmpdir(), 'apt-measure-'))
try {
  const file = join(dir, 'Packages')
  writeFileSync(file, big)
  const grepMs = median(() => {
    execFileSync('grep-dctrl', ['-s', 'Package,Version', '-F', 'Package', '-r', '.', file], {
      maxBuffer: 1 << 30,
    })
  }, 3)
  console.log(`  grep-dctrl (whole process):          ${(mb / (grepMs / 1000)).toFixed(0)} MB/s`)
} catch {
  console.log('  grep-dctrl: not installed')
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const rows = readFileSync(join(fixtures, 'versions/dpkg-expectations.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#') && !l.endsWith('\terror'))
  .map((l) => l.split('\t'))
const as = rows.map((r) => r[0] ?? '')
const bs = rows.map((r) => r[1] ?? '')
let sink = 0
const rounds = 200
const cmpMs = median(() => {
  for (let k = 0; k < rounds; k++)
    for (let i = 0; i < as.length; i++) sink += compareDebianVersions(as[i] ?? '', bs[i] ?? '')
})
console.log(
  `compareDebianVersions: ${((rounds * as.length) / (cmpMs / 1000) / 1e6).toFixed(2)} M comparisons/s (${sink})`,
)
