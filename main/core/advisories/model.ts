/**
 * The advisory model: one shape for every channel (OSV, notices API, usn-db, signed feed, mbox).
 *
 * Plain readonly data, times in epoch milliseconds. A parser fills one
 * `AdvisorySource` in `provenance`; `mergeAdvisories` joins copies of the same id and sets `trust` and `conflicts`
 * (docs/trust.md).
 */
import type { ErrorCode } from '../error-codes'
import type { ChannelKind } from '../model'

/** Coded failures of the advisory channels: the `ADVISORY_ERRORS` table of `main/core/error-codes.ts`. */
export type { AdvisoryErrorCode } from '../error-codes'

/**
 * The kinds of advisory channel (docs/trust.md, "Advisory channels"); `usn-db` is the retired usn-db database.json,
 * `osv-api` the OSV.dev query API, `github-osv` Canonical's OSV files on a raw-file host.
 */
export type ChannelType = ChannelKind

/**
 * How much an advisory can be trusted (docs/trust.md, "Advisories and their trust levels").
 *
 * - `signed`: at least one copy verified against a pinned `advisory` key.
 * - `archive-confirmed`: the fixed version's changelog in the signed archive names the CVE (set by the trust core).
 * - `corroborated`: two independent unsigned channels agree on it.
 * - `single-source`: one unsigned channel, or channels that are not independent.
 * - `conflict`: unsigned channels disagree on a fixed version; every claim is kept in `conflicts`.
 */
export type AdvisoryTrust = 'signed' | 'archive-confirmed' | 'corroborated' | 'single-source' | 'conflict'

/** Where one copy of an advisory came from. */
export interface AdvisorySource {
  /** The configured channel's id. */
  readonly channelId: string
  readonly channelType: ChannelType
  /** The document's URL (`https:`, `http:` or `file:`), or the mbox message reference. */
  readonly url: string
  readonly fetchedAt: number
  /** Upper-case fingerprint of the pinned advisory key that signed this copy; absent when unsigned. */
  readonly signedBy?: string | undefined
}

/** A binary package and the version that fixes it. */
export interface BinaryFix {
  readonly name: string
  /** `undefined` when the channel lists the package without a version (old notices API records). */
  readonly fixedVersion: string | undefined
  /** Its source package, when the channel says. */
  readonly source?: string | undefined
  /** Archive pocket, e.g. `security`, `esm-infra`. */
  readonly pocket?: string | undefined
}

/** A source package and the version that fixes it (`undefined`: the channel names no version). */
export interface SourceFix {
  readonly name: string
  readonly fixedVersion: string | undefined
  /** e.g. "No subscription required", "Available with Ubuntu Pro". */
  readonly availability?: string | undefined
}

/** What an advisory says about one Ubuntu release. */
export interface ReleaseFixes {
  /** Release codename, e.g. `jammy`. */
  readonly codename: string
  /** Release version, e.g. `22.04`, when known. */
  readonly version?: string | undefined
  /** True when the fix is for the Ubuntu Pro (ESM) archive of the release. */
  readonly pro: boolean
  readonly sources: readonly SourceFix[]
  readonly binaries: readonly BinaryFix[]
}

/** A reference link, typed as in OSV (`ADVISORY`, `REPORT`, `WEB`, ...). */
export interface AdvisoryReference {
  readonly type: string
  readonly url: string
}

/** Two or more different fixed versions claimed for the same package of the same release. */
export interface FixConflict {
  readonly codename: string
  readonly pro: boolean
  readonly kind: 'source' | 'binary'
  readonly packageName: string
  /** Each distinct version with the sources that claim it (all kept and shown). */
  readonly claims: readonly { readonly fixedVersion: string; readonly sources: readonly AdvisorySource[] }[]
}

/** One security advisory. */
export interface Advisory {
  /** e.g. `USN-7712-1`, or `UBUNTU-CVE-2024-51988` for an Ubuntu CVE record. */
  readonly id: string
  /** Other ids of the same issue: CVE ids, `UBUNTU-CVE-*`, related notices. */
  readonly aliases: readonly string[]
  /** CVE ids only (`CVE-YYYY-N`), sorted. */
  readonly cves: readonly string[]
  /** Short title, e.g. "linux-azure vulnerabilities". */
  readonly title: string
  /** One or two sentences. */
  readonly summary: string
  /** The full description. */
  readonly details: string
  /** Ubuntu priority: negligible, low, medium, high, critical (the highest over its CVEs), when known. */
  readonly priority?: string | undefined
  readonly published?: number | undefined
  readonly modified?: number | undefined
  readonly releases: readonly ReleaseFixes[]
  /** Instructions and workarounds beside the update (reboot needed, service restarts, mitigations). */
  readonly mitigations: readonly string[]
  readonly references: readonly AdvisoryReference[]
  /** Every copy this advisory was assembled from; the first is the one whose text is shown. */
  readonly provenance: readonly AdvisorySource[]
  readonly trust: AdvisoryTrust
  /** Disagreements on fixed versions between copies (empty unless channels disagree). */
  readonly conflicts: readonly FixConflict[]
}

/** One malformed record, reported and skipped; the rest of the channel still counts. */
export interface RecordIssue {
  readonly channelId: string
  /** The record: its id when readable, else its position or file name. */
  readonly record: string
  /** Dotted path of the offending field, e.g. `affected.0.ranges`. */
  readonly field: string
  /** An ADV_* code, or the NET_* / PGP_* code of the failure behind it. */
  readonly code: ErrorCode
  readonly message: string
}

/** What a parser or channel read produced: the good records and the reported bad ones. */
export interface ChannelRecords {
  readonly advisories: readonly Advisory[]
  readonly issues: readonly RecordIssue[]
}

/** An item of an unsigned news feed (RSS/Atom). Shown as news, never used as evidence. */
export interface NewsItem {
  readonly channelId: string
  readonly title: string
  readonly link: string | undefined
  readonly published: number | undefined
  /** USN ids mentioned in the title, for linking only. */
  readonly mentions: readonly string[]
}
