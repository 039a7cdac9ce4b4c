/**
 * The lab's kernel story, "Copy Fail" (CVE-2026-31431, a local root exploit in the Linux kernel): the day the
 * advisory website is down, a fixed kernel is published; the machine's own mirror has not synced it yet, another
 * verified mirror has it. Everything here is synthetic lab data (TEST ONLY): the notice and the Ubuntu CVE record
 * are written in the OSV format canonical/ubuntu-security-notices uses (see the real USN-7095-1 kernel notice in
 * test/fixtures/ubuntu/osv-usn), the packages follow Ubuntu's kernel naming (an ABI in every kernel package name,
 * `linux-signed` images, `linux-meta` metapackages that pull the newest ABI in).
 *
 * The machine moves through three states with the lab's machine control: `affected` (old kernel running),
 * `installed` (the fixed kernel installed, reboot required, old kernel still running) and `rebooted`. A fourth,
 * `livepatched`, is the machine with Livepatch: the old kernel still runs, nothing is installed, and Livepatch has
 * applied a fix for the CVE to it (its saved status, main/node/local-system.ts SAVED_LIVEPATCH_STATUS).
 */
import type { LabPackage, LabSource } from './archive'

/** The CVE of the story. */
export const COPY_FAIL_CVE = 'CVE-2026-31431'
/** The notice that fixes it (lab id). */
export const COPY_FAIL_USN = 'USN-8160-1'
/** Ubuntu's CVE record of it (the id OSV.dev and canonical/ubuntu-security-notices use). */
export const COPY_FAIL_UBUNTU_CVE = 'UBUNTU-CVE-2026-31431'

/** The vulnerable kernel the machine runs, and the fixed one. */
export const KERNEL_OLD = { abi: '6.8.0-40', version: '6.8.0-40.40', upstream: '6.8.12' } as const
export const KERNEL_FIXED = { abi: '6.8.0-41', version: '6.8.0-41.41', upstream: '6.8.12' } as const

/** The binary packages of one kernel upload (generic flavour), as the archive and dpkg list them. */
export function kernelPackages(k: { readonly abi: string; readonly version: string }): LabPackage[] {
  return [
    { name: `linux-image-${k.abi}-generic`, version: k.version, source: `linux-signed (${k.version})` },
    { name: `linux-modules-${k.abi}-generic`, version: k.version, source: 'linux' },
    { name: 'linux-image-generic', version: k.version, source: 'linux-meta' },
    { name: 'linux-generic', version: k.version, source: 'linux-meta' },
  ]
}

const changelogEntry = (source: string, version: string, lines: string, date: string): string =>
  `${source} (${version}) noble-security; urgency=medium\n\n${lines}\n\n -- Lifeline Lab <lab@lifeline.invalid>  ${date}\n`

/** The fixed kernel's source uploads; each changelog names the CVE (the archive's own evidence). */
export const COPY_FAIL_SOURCES: readonly LabSource[] = [
  {
    name: 'linux',
    version: KERNEL_FIXED.version,
    changelog: `${changelogEntry(
      'linux',
      KERNEL_FIXED.version,
      `  * Copy Fail: local privilege escalation through the page-cache copy path (lab rebuild)\n    - ${COPY_FAIL_CVE}`,
      'Fri, 04 Dec 2026 09:00:00 +0000',
    )}\n${changelogEntry('linux', KERNEL_OLD.version, '  * Lab copy of the previous upload.', 'Mon, 02 Nov 2026 09:00:00 +0000')}`,
  },
  {
    name: 'linux-meta',
    version: KERNEL_FIXED.version,
    changelog: `${changelogEntry(
      'linux-meta',
      KERNEL_FIXED.version,
      `  * Bump ABI to ${KERNEL_FIXED.abi} for the Copy Fail fix\n    - ${COPY_FAIL_CVE}`,
      'Fri, 04 Dec 2026 09:00:00 +0000',
    )}\n${changelogEntry('linux-meta', KERNEL_OLD.version, '  * Bump ABI.', 'Mon, 02 Nov 2026 09:00:00 +0000')}`,
  },
]

const DETAILS = `It was discovered that the Linux kernel did not correctly check page-cache copies between
user-supplied buffers ("Copy Fail"). A local attacker could use this to gain administrative
privileges. (${COPY_FAIL_CVE})`

/** The binaries the notice lists for `linux` (ABI packages) and `linux-meta` (metapackages), fixed version. */
function binaries(names: readonly string[]): { binary_name: string; binary_version: string }[] {
  return names.map((n) => ({ binary_name: n, binary_version: KERNEL_FIXED.version }))
}

/**
 * The notice in OSV form. Like real Ubuntu kernel notices it lists the `linux` source only: the metapackage upgrade
 * is what installs the new kernel, and the new ABI's `linux` changelog, read from the signed archive, names the CVE
 * (main/core/check/archive-evidence.ts).
 */
export function copyFailNotice(now: number, fixed: string = KERNEL_FIXED.version): Record<string, unknown> {
  const affected = (name: string, bins: readonly string[]) => ({
    package: {
      ecosystem: 'Ubuntu:24.04:LTS',
      name,
      purl: `pkg:deb/ubuntu/${name}@${fixed}?arch=source&distro=noble`,
    },
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    ecosystem_specific: {
      binaries: binaries(bins).map((b) => ({ ...b, binary_version: fixed })),
      availability: 'No subscription required',
    },
  })
  return {
    schema_version: '1.6.3',
    id: COPY_FAIL_USN,
    summary: 'linux vulnerability',
    details: DETAILS,
    aliases: [],
    related: [COPY_FAIL_CVE, COPY_FAIL_UBUNTU_CVE],
    published: new Date(now - 6 * 3600_000).toISOString(),
    modified: new Date(now - 6 * 3600_000).toISOString(),
    affected: [
      affected('linux', [
        `linux-image-unsigned-${KERNEL_FIXED.abi}-generic`,
        `linux-modules-${KERNEL_FIXED.abi}-generic`,
        `linux-headers-${KERNEL_FIXED.abi}-generic`,
      ]),
    ],
    references: [
      { type: 'ADVISORY', url: `https://ubuntu.com/security/notices/${COPY_FAIL_USN}` },
      { type: 'REPORT', url: `https://ubuntu.com/security/${COPY_FAIL_CVE}` },
    ],
  }
}

/** Ubuntu's CVE record in OSV form (noble: fixed in the same upload, priority high). */
export function copyFailCveRecord(
  now: number,
  fixed: string = KERNEL_FIXED.version,
): Record<string, unknown> {
  return {
    schema_version: '1.7.0',
    id: COPY_FAIL_UBUNTU_CVE,
    summary: 'Copy Fail: Linux kernel local privilege escalation',
    details: DETAILS,
    aliases: [],
    upstream: [COPY_FAIL_CVE],
    related: [COPY_FAIL_USN],
    published: new Date(now - 30 * 3600_000).toISOString(),
    modified: new Date(now - 6 * 3600_000).toISOString(),
    affected: [
      {
        package: {
          ecosystem: 'Ubuntu:24.04:LTS',
          name: 'linux',
          purl: `pkg:deb/ubuntu/linux@${fixed}?arch=source&distro=noble`,
        },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        ecosystem_specific: { ubuntu_priority: 'high' },
      },
    ],
    severity: [{ type: 'Ubuntu', score: 'high' }],
    references: [{ type: 'REPORT', url: `https://ubuntu.com/security/${COPY_FAIL_CVE}` }],
  }
}

/** Where the lab machine stands in the story. */
export type MachineState = 'affected' | 'installed' | 'rebooted' | 'livepatched'

/** Every machine state, in story order (`livepatched` is the other ending: covered without a reboot). */
export const MACHINE_STATES: readonly MachineState[] = ['affected', 'installed', 'rebooted', 'livepatched']

/** The kernel packages dpkg lists in a state: the old kernel, plus the fixed one once installed. */
export function installedKernelPackages(state: MachineState): LabPackage[] {
  const old = kernelPackages(KERNEL_OLD)
  if (state === 'affected' || state === 'livepatched') return old
  // `apt upgrade` of the metapackages installs the new ABI next to the old one and upgrades the metapackages.
  const fixed = kernelPackages(KERNEL_FIXED)
  return [...old.filter((p) => p.name.includes(KERNEL_OLD.abi)), ...fixed]
}

/** /proc/version_signature for a state: the old kernel runs until the reboot. */
export function versionSignature(state: MachineState): string {
  const k = state === 'rebooted' ? KERNEL_FIXED : KERNEL_OLD
  return `Ubuntu ${k.version}-generic ${k.upstream}\n`
}

/** var/run/reboot-required.pkgs for a state (undefined: no reboot required). */
export function rebootRequiredPkgs(state: MachineState): string | undefined {
  return state === 'installed' ? `linux-image-${KERNEL_FIXED.abi}-generic\nlinux-base\n` : undefined
}

/**
 * The saved `canonical-livepatch status --format json` of a state (undefined: no Livepatch on the machine). Its
 * shape is the client's (lower-camel keys, `fixes` as the "* CVE-…" text), read by main/core/system/kernel.ts.
 */
export function livepatchStatusJson(state: MachineState): string | undefined {
  if (state !== 'livepatched') return undefined
  return `${JSON.stringify(
    {
      clientVersion: '10.8.3',
      machineId: '0123456789abcdef0123456789abcdef',
      architecture: 'x86_64',
      cpuModel: 'Lifeline Lab CPU',
      lastCheck: '2026-12-04T10:00:00Z',
      bootTime: '2026-12-01T08:00:00Z',
      uptime: '266400s',
      status: [
        {
          kernel: `${KERNEL_OLD.version}-generic`,
          running: true,
          livepatch: {
            checkState: 'checked',
            patchState: 'applied',
            version: '107.1',
            fixes: `* ${COPY_FAIL_CVE}: Copy Fail: local privilege escalation through the page-cache copy path (lab)`,
          },
          supported: 'supported',
        },
      ],
      tier: 'updates',
    },
    null,
    2,
  )}\n`
}
