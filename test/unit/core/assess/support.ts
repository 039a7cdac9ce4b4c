/**
 * Test helpers for the assessment: real Packages indexes as `AvailableVersion`s, systems from fixture roots,
 * and advisories in the shape of `main/core/advisories/model.ts`.
 */
import { readFileSync } from 'node:fs'
import type { Advisory, AdvisoryTrust, BinaryFix, SourceFix } from '../../../../main/core/advisories/model'
import type { AvailableVersion } from '../../../../main/core/assess/types'
import { buildLocalSystem } from '../../../../main/core/system/local-system'
import type { LocalSystem } from '../../../../main/core/system/types'

/** Reads a test fixture as text. */
export function fixture(p: string): string {
  return readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url), 'utf8')
}

/** A real Packages index, as a mirror verifiably offering it would present it. */
export function indexVersions(
  text: string,
  repo: { mirrorId: string; mirrorUrl: string; suite: string; component: string },
): AvailableVersion[] {
  const out: AvailableVersion[] = []
  for (const stanza of text.split(/\n\n+/)) {
    const f = (name: string): string | undefined =>
      new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1]?.trim()
    const pkg = f('Package')
    const version = f('Version')
    const arch = f('Architecture')
    if (!pkg || !version || !arch) continue
    const src = /^(\S+)(?: \((.+)\))?$/.exec(f('Source') ?? pkg)
    out.push({
      ...repo,
      package: pkg,
      arch,
      version,
      source: src?.[1] ?? pkg,
      sourceVersion: src?.[2] ?? version,
    })
  }
  return out
}

/** The `pkg=version` / `pkg:arch=version` words of an apt install command line. */
export function installWords(command: string): string[] {
  return command.split(/\s+/).filter((w) => w.includes('='))
}

/** The synthetic jammy root (kernel 5.15.0-52 running, 5.15.0-53 installed) as a `LocalSystem`. */
export function jammySystem(overrides: Partial<LocalSystem> = {}): LocalSystem {
  const root = 'systems/jammy-kernel/'
  const sys = buildLocalSystem({
    root: '/',
    osRelease: fixture(`${root}etc/os-release`),
    dpkgStatus: fixture(`${root}var/lib/dpkg/status`),
    sourceFiles: [
      { path: '/etc/apt/sources.list', text: fixture(`${root}etc/apt/sources.list`) },
      {
        path: '/etc/apt/sources.list.d/ubuntu-esm.sources',
        text: fixture(`${root}etc/apt/sources.list.d/ubuntu-esm.sources`),
      },
    ],
    mirrorLists: new Map([['/etc/apt/mirrors.txt', fixture(`${root}etc/apt/mirrors.txt`)]]),
    versionSignature: fixture(`${root}proc/version_signature`),
    rebootRequired: false,
  })
  return { ...sys, ...overrides }
}

/** An advisory for one release with the given source fixes. */
export function advisory(
  id: string,
  sources: readonly SourceFix[],
  opts: {
    codename?: string
    priority?: string
    trust?: AdvisoryTrust
    cves?: readonly string[]
    mitigations?: readonly string[]
    binaries?: readonly BinaryFix[]
  } = {},
): Advisory {
  return {
    id,
    aliases: [],
    cves: opts.cves ?? [],
    title: `${id} title`,
    summary: '',
    details: '',
    priority: opts.priority,
    releases: [{ codename: opts.codename ?? 'jammy', pro: false, sources, binaries: opts.binaries ?? [] }],
    mitigations: opts.mitigations ?? [],
    references: [],
    provenance: [],
    trust: opts.trust ?? 'signed',
    conflicts: [],
  }
}
