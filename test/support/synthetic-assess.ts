/**
 * Deterministic synthetic inputs in the shapes of the real fixtures, for the benchmark and scale tests.
 *
 * The bench target (bench/RESULTS.md): `assess` on a 3,000-package status against 10,000 advisories in under 100 ms. Names and
 * versions follow the jammy fixtures (`libfoo3` binaries of source `foo`, `1.2.3-1ubuntu0.22.04.1` versions,
 * USN-shaped advisories with several releases).
 */
import type { Advisory } from '../../main/core/advisories/model'
import type { InstalledPackage, LocalSystem } from '../../main/core/system/types'
import type { AssessInput, AvailableVersion } from '../../main/core/assess/types'

/** Sizes of a synthetic input. */
export interface SyntheticOptions {
  readonly packages: number
  readonly advisories: number
  /** PRNG seed; the same options give the same input. */
  readonly seed?: number | undefined
}

/** Mulberry32: a tiny deterministic PRNG (no Math.random, so benchmarks are repeatable). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MIRROR = 'http://archive.ubuntu.com/ubuntu'
const OTHER = 'https://mirror.example.org/ubuntu'
const PRIORITIES = ['critical', 'high', 'medium', 'low', 'negligible', undefined] as const
const TRUSTS = ['signed', 'archive-confirmed', 'corroborated', 'single-source', 'conflict'] as const

/** Builds an `AssessInput` for a jammy machine with `packages` installed binaries and `advisories` advisories. */
export function syntheticAssessInput(opts: SyntheticOptions): AssessInput {
  const rnd = prng(opts.seed ?? 1)
  const packages: InstalledPackage[] = []
  const sources: { name: string; version: string; bins: string[] }[] = []
  while (packages.length < opts.packages) {
    const i = sources.length
    const name = `src${i}`
    const version = `${1 + (i % 7)}.${i % 13}.${i % 5}-${1 + (i % 3)}ubuntu0.22.04.${1 + Math.floor(rnd() * 4)}`
    const n = 1 + Math.floor(rnd() * 3)
    const bins: string[] = []
    for (let b = 0; b < n && packages.length < opts.packages; b++) {
      const pkg = b === 0 ? name : `lib${name}-${b}`
      bins.push(pkg)
      packages.push({
        package: pkg,
        version,
        architecture: b === 2 ? 'all' : 'amd64',
        source: name,
        sourceVersion: version,
        selection: 'install',
      })
    }
    sources.push({ name, version, bins })
  }
  packages.push({
    package: 'dpkg',
    version: '1.21.1ubuntu2.1',
    architecture: 'amd64',
    source: 'dpkg',
    sourceVersion: '1.21.1ubuntu2.1',
    selection: 'install',
  })
  packages.sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0))

  const available: AvailableVersion[] = []
  for (const s of sources) {
    const r = rnd()
    if (r > 0.5) continue
    const newer = `${s.version}.1`
    const suite = r < 0.3 ? 'jammy-security' : 'jammy-updates'
    const mirrorUrl = r < 0.4 ? MIRROR : OTHER
    for (const [b, pkg] of s.bins.entries()) {
      available.push({
        mirrorId: mirrorUrl === MIRROR ? 'primary' : 'other',
        mirrorUrl,
        suite,
        component: 'main',
        package: pkg,
        arch: b === 2 ? 'all' : 'amd64',
        version: newer,
        source: s.name,
        sourceVersion: newer,
      })
    }
  }

  const advisories: Advisory[] = []
  for (let i = 0; i < opts.advisories; i++) {
    const fixes = 1 + Math.floor(rnd() * 3)
    const jammySources = []
    for (let f = 0; f < fixes; f++) {
      // Half the advisories name packages that are not installed at all (as most real USNs do for one machine).
      const s = rnd() < 0.5 ? sources[Math.floor(rnd() * sources.length)] : undefined
      const name = s ? s.name : `notinstalled${i}-${f}`
      const base = s ? s.version : '1.0-1'
      const k = rnd()
      jammySources.push({
        name,
        fixedVersion: k < 0.1 ? undefined : k < 0.5 ? base : `${base}.1`,
      })
    }
    const cve = `CVE-2026-${10000 + i}`
    advisories.push({
      id: `USN-${9000 + i}-1`,
      aliases: [cve],
      cves: [cve],
      title: `synthetic vulnerability ${i}`,
      summary: '',
      details: '',
      priority: PRIORITIES[i % PRIORITIES.length],
      releases: [
        { codename: 'jammy', version: '22.04', pro: false, sources: jammySources, binaries: [] },
        { codename: 'noble', version: '24.04', pro: false, sources: jammySources, binaries: [] },
      ],
      mitigations: [],
      references: [],
      provenance: [],
      trust: TRUSTS[i % TRUSTS.length] ?? 'single-source',
      conflicts: [],
    })
  }

  const system: LocalSystem = {
    root: '/',
    os: {
      id: 'ubuntu',
      idLike: ['debian'],
      name: 'Ubuntu',
      prettyName: 'Ubuntu 22.04.1 LTS',
      versionId: '22.04',
      codename: 'jammy',
      fields: {},
    },
    packages,
    nativeArch: 'amd64',
    sources: [],
    sourceProblems: [],
    rebootRequired: { required: false, packages: [] },
    problems: [],
  }
  return {
    system,
    advisories,
    available,
    usedMirrors: [
      { url: MIRROR, suite: 'jammy', components: ['main', 'universe'] },
      { url: MIRROR, suite: 'jammy-updates', components: ['main', 'universe'] },
      { url: MIRROR, suite: 'jammy-security', components: ['main', 'universe'] },
    ],
    now: Date.UTC(2026, 0, 15),
  }
}
