/**
 * What Lifeline knows about the local machine: release, installed packages, apt sources, kernel, reboot state.
 *
 * Plain readonly data so a `LocalSystem` can be built from any root directory (tests, mounted images) and
 * serialised as is into a report.
 */
import type { ErrorCode, SystemErrorCode } from '../error-codes'
import { CoreError, type ErrorDetails } from '../errors'

/** Coded failures of the local-system readers: the `SYSTEM_ERRORS` table of `main/core/error-codes.ts`. */
export type { SystemErrorCode } from '../error-codes'

/** Builds a coded local-system error. */
export function systemError(
  code: SystemErrorCode,
  message: string,
  details: ErrorDetails = {},
): CoreError<SystemErrorCode> {
  return new CoreError(code, message, details)
}

/** Identification of the installed release, from os-release(5). */
export interface OsRelease {
  /** `ID`, lower-case (`ubuntu`, `debian`); os-release(5) defaults it to `linux`. */
  readonly id: string
  readonly idLike: readonly string[]
  readonly name: string
  readonly prettyName: string
  /** `VERSION_ID`, e.g. `22.04`. */
  readonly versionId: string | undefined
  /** `VERSION_CODENAME`, else `UBUNTU_CODENAME` (Ubuntu flavours and derivatives set the latter). */
  readonly codename: string | undefined
  /** Every KEY=value read, unquoted. */
  readonly fields: Readonly<Record<string, string>>
}

/** One installed binary package from var/lib/dpkg/status. */
export interface InstalledPackage {
  readonly package: string
  readonly version: string
  readonly architecture: string
  /** Source package: the `Source` field's name, else the package name (Debian Policy 5.6.1). */
  readonly source: string
  /** The version in `Source: name (version)`, else the binary version (deb-control(5)). */
  readonly sourceVersion: string
  /** dpkg selection state, the first word of `Status` (`install`, `hold`, `deinstall`, `purge`). */
  readonly selection: string
}

/** apt's two source-list formats (sources.list(5)). */
export type SourceFormat = 'one-line' | 'deb822'

/** A Signed-By value: key file paths / fingerprints, or an inline ASCII-armoured key block (deb822 only). */
export type SignedBy =
  | { readonly kind: 'keyrings'; readonly values: readonly string[] }
  | { readonly kind: 'inline'; readonly armored: string }

/**
 * One repository apt will read: one type × URI × suite (apt fetches one Release per URI and suite).
 *
 * A deb822 stanza with 2 types, 2 URIs and 3 suites gives 12 entries, all pointing at the stanza's first line.
 */
export interface AptSourceEntry {
  readonly file: string
  /** 1-based line of the one-line entry or of the deb822 stanza's first field. */
  readonly line: number
  readonly format: SourceFormat
  readonly type: 'deb' | 'deb-src'
  /** As written, e.g. `http://archive.ubuntu.com/ubuntu/`, `mirror+file:/etc/apt/mirrors.txt`, `cdrom:[...]/`. */
  readonly uri: string
  /** For `mirror+file:` URIs: the URLs the list file names, when the reader could read it. */
  readonly mirrorList?: readonly string[] | undefined
  readonly suite: string
  /** Empty for a flat repository (suite ending in `/`). */
  readonly components: readonly string[]
  /** `arch=` / `Architectures:`; undefined means apt's configured architectures. */
  readonly architectures?: readonly string[] | undefined
  readonly signedBy?: SignedBy | undefined
  /** `trusted=yes` / `Trusted: yes`: apt skips signature checks for this source (dangerous). */
  readonly trusted: boolean
  /** False for `Enabled: no` stanzas (deb822). Disabled entries are kept so the UI can show them. */
  readonly enabled: boolean
}

/** A malformed sources line or stanza: reported, skipped, and the rest of the file still read. */
export interface SourceProblem {
  readonly file: string
  readonly line: number
  readonly code: SystemErrorCode
  readonly message: string
}

/** The result of reading one sources file. */
export interface SourcesParseResult {
  readonly entries: readonly AptSourceEntry[]
  readonly problems: readonly SourceProblem[]
}

/** The running kernel. */
export interface RunningKernel {
  /** `uname -r` form: `5.15.0-52-generic`. */
  readonly release: string
  /** ABI part: `5.15.0-52`. */
  readonly abi: string
  /** Flavour: `generic`, `aws`, `lowlatency` ... (empty when the release has none). */
  readonly flavour: string
  /** Ubuntu package version from /proc/version_signature (`5.15.0-52.58`), when known. */
  readonly packageVersion?: string | undefined
  /** Upstream version from /proc/version_signature (`5.15.60`), when known. */
  readonly upstream?: string | undefined
  readonly from: 'version_signature' | 'uname'
}

/** var/run/reboot-required and its .pkgs list (written by update-notifier hooks). */
export interface RebootRequired {
  readonly required: boolean
  /** Package names listed in reboot-required.pkgs, sorted, de-duplicated. */
  readonly packages: readonly string[]
}

/** One kernel as `canonical-livepatch status --format json` reports it. */
export interface LivepatchKernel {
  /** As the client prints it, e.g. `5.15.0-52.58-generic`. */
  readonly kernel: string
  readonly running: boolean
  /** `checked`, `needs-check`, ... */
  readonly checkState: string
  /** `applied`, `nothing-to-apply`, `apply-failed`, ... */
  readonly patchState: string
  /** CVE ids the applied patches fix, sorted. */
  readonly fixes: readonly string[]
}

/** Livepatch status; absent from `LocalSystem` when the client is not installed. */
export interface LivepatchStatus {
  readonly kernels: readonly LivepatchKernel[]
}

/** A problem met while reading the local system that did not stop the read. */
export interface ReadProblem {
  readonly file: string
  readonly code: ErrorCode
  readonly message: string
}

/** Everything read from the local machine. */
export interface LocalSystem {
  /** The root directory it was read from (`/` for this machine). */
  readonly root: string
  readonly os: OsRelease
  /** Installed packages, sorted by package name then architecture. */
  readonly packages: readonly InstalledPackage[]
  /** dpkg's native architecture (the `dpkg` package's own), e.g. `amd64`. */
  readonly nativeArch: string
  readonly sources: readonly AptSourceEntry[]
  readonly sourceProblems: readonly SourceProblem[]
  readonly kernel?: RunningKernel | undefined
  readonly rebootRequired: RebootRequired
  readonly livepatch?: LivepatchStatus | undefined
  readonly problems: readonly ReadProblem[]
}
