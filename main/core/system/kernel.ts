/**
 * The running kernel, reboot-required flags and Livepatch status.
 */
import { Limits } from '../limits'
import {
  systemError,
  type LivepatchKernel,
  type LivepatchStatus,
  type RebootRequired,
  type RunningKernel,
} from './types'

/** Ubuntu kernel ABI: `5.15.0-52` (upstream version, dash, ABI number). */
const ABI = '(\\d+\\.\\d+\\.\\d+-\\d+)'
/** `5.15.0-52.58-generic`, `6.5.0-14.14~22.04.1-generic`, `5.4.0-1043.45-azure`: the upload part has no dash. */
const SIGNATURE_KERNEL = new RegExp(`^${ABI}\\.([^-\\s]+)-(\\S+)$`)
const UNAME_RELEASE = new RegExp(`^${ABI}-(\\S+)$`)

/**
 * Parses /proc/version_signature, e.g. `Ubuntu 5.15.0-52.58-generic 5.15.60`.
 *
 * Ubuntu kernels write "<distro> <package version>-<flavour> <upstream version>" there (Ubuntu kernel team, "How
 * do I map Ubuntu kernel versions to upstream"). Throws `SYS_KERNEL_SYNTAX` otherwise.
 */
export function parseVersionSignature(text: string): RunningKernel {
  if (text.length > Limits.system.smallFileBytes)
    throw systemError('SYS_TOO_LARGE', 'version_signature too large')
  const parts = text.trim().split(/\s+/)
  const m = SIGNATURE_KERNEL.exec(parts[1] ?? '')
  if (parts.length < 2 || !m) {
    throw systemError(
      'SYS_KERNEL_SYNTAX',
      'version_signature is not "<distro> <version>-<flavour> <upstream>"',
    )
  }
  const abi = m[1] as string
  const flavour = m[3] as string
  return {
    release: `${abi}-${flavour}`,
    abi,
    flavour,
    packageVersion: `${abi}.${m[2] as string}`,
    upstream: parts[2],
    from: 'version_signature',
  }
}

/**
 * Parses a `uname -r` release, e.g. `5.15.0-52-generic` (Ubuntu) or `6.1.0-13-amd64` (Debian).
 *
 * A release not in "<abi>-<flavour>" form (a custom kernel) keeps the whole string as ABI with no flavour.
 * Throws `SYS_KERNEL_SYNTAX` for an empty or multi-word string.
 */
export function parseUnameRelease(text: string): RunningKernel {
  const release = text.trim()
  if (release === '' || /\s/.test(release) || release.length > 256) {
    throw systemError('SYS_KERNEL_SYNTAX', 'kernel release is empty or not one word')
  }
  const m = UNAME_RELEASE.exec(release)
  return {
    release,
    abi: m ? (m[1] as string) : release,
    flavour: m ? (m[2] as string) : '',
    from: 'uname',
  }
}

/**
 * Builds the reboot-required state from var/run/reboot-required (its presence is the flag) and
 * reboot-required.pkgs (one package name per line, written by update-notifier's hooks).
 */
export function parseRebootRequired(flagPresent: boolean, pkgsText: string | undefined): RebootRequired {
  if (pkgsText !== undefined && pkgsText.length > Limits.system.smallFileBytes) {
    throw systemError('SYS_TOO_LARGE', 'reboot-required.pkgs too large')
  }
  const packages = [
    ...new Set(
      (pkgsText ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0 && !l.startsWith('#')),
    ),
  ].sort()
  return { required: flagPresent || packages.length > 0, packages }
}

const CVE = /CVE-\d{4}-\d{4,}/g

function field(obj: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (n in obj) return obj[n]
  return undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Parses `canonical-livepatch status --format json`.
 *
 * The client has printed the same structure under lower-camel (`status`, `kernel`, `livepatch.patchState`,
 * `fixes` as a "* CVE-..." text) and capitalised (`Status`, `Kernel`, `Livepatch.State`, `Fixes` as objects)
 * keys across versions; both are read. CVE ids are collected from whatever form `fixes` takes. Throws
 * `SYS_LIVEPATCH_SYNTAX` when the output is not JSON or has no status list.
 */
export function parseLivepatchStatus(text: string): LivepatchStatus {
  if (text.length > Limits.system.livepatchOutputBytes)
    throw systemError('SYS_TOO_LARGE', 'livepatch output too large')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw systemError('SYS_LIVEPATCH_SYNTAX', 'livepatch status is not JSON')
  }
  if (!isRecord(doc)) throw systemError('SYS_LIVEPATCH_SYNTAX', 'livepatch status is not an object')
  const list = field(doc, 'status', 'Status')
  if (!Array.isArray(list)) throw systemError('SYS_LIVEPATCH_SYNTAX', 'livepatch status has no status list')
  const kernels: LivepatchKernel[] = []
  for (const item of list) {
    if (!isRecord(item)) continue
    const lp = field(item, 'livepatch', 'Livepatch')
    const lpr = isRecord(lp) ? lp : {}
    const fixesRaw = field(lpr, 'fixes', 'Fixes')
    const fixes = [...new Set(JSON.stringify(fixesRaw ?? '').match(CVE) ?? [])].sort()
    kernels.push({
      kernel: String(field(item, 'kernel', 'Kernel') ?? ''),
      running: field(item, 'running', 'Running') === true,
      checkState: String(field(lpr, 'checkState', 'CheckState') ?? ''),
      patchState: String(field(lpr, 'patchState', 'State') ?? ''),
      fixes,
    })
  }
  return { kernels }
}

/**
 * CVE ids Livepatch has applied to the running kernel, or an empty set.
 *
 * Only patch states that mean the patches are live count (`applied`); `apply-failed`, `unapplied` and the like
 * protect nothing.
 */
export function livepatchedCves(status: LivepatchStatus | undefined): ReadonlySet<string> {
  const out = new Set<string>()
  for (const k of status?.kernels ?? []) {
    if (k.running && k.patchState === 'applied') for (const c of k.fixes) out.add(c)
  }
  return out
}
