/**
 * Domain types of the engine. Plain readonly data; times are epoch milliseconds.
 *
 * This file imports nothing but `error-codes.ts`, which imports nothing itself: every area of main/core may use it,
 * so a type here that named a type of an area would close an import cycle (test/unit/architecture.test.ts fails on
 * one). The report of a whole check, which names the coverage, the verdict row and the channels, lives in
 * main/core/check/report.ts.
 */
import type { ErrorCode } from './error-codes'

/** A configured apt mirror. */
export interface MirrorConfig {
  /** Stable identifier, unique in a config (used in state files and the UI). */
  readonly id: string
  /** Human label, e.g. "Ubuntu archive (primary)". */
  readonly name: string
  /** Base URL of the archive, e.g. `https://archive.ubuntu.com/ubuntu`. `http:`, `https:` and `file:` work. */
  readonly url: string
  readonly suites: readonly string[]
  readonly components: readonly string[]
  readonly architectures: readonly string[]
}

/** The role a pinned key is trusted for (docs/trust.md, "Pinned keys"). */
export type KeyRole = 'archive' | 'advisory'

/** A key pinned by full fingerprint. */
export interface PinnedKeyConfig {
  /** Upper-case hex fingerprint of the primary key, no spaces. */
  readonly fingerprint: string
  readonly role: KeyRole
  /** Human name, e.g. "Ubuntu Archive Automatic Signing Key (2018)". */
  readonly name: string
}

/** Kinds of advisory channel (docs/trust.md, "Channels"); main/core/advisories/model.ts `ChannelType` is this union. */
export type ChannelKind =
  'osv' | 'osv-api' | 'github-osv' | 'usn-api' | 'usn-db' | 'signed-feed' | 'mbox' | 'news'

/** A configured advisory channel. */
export interface ChannelConfig {
  readonly id: string
  readonly name: string
  readonly type: ChannelKind
  /**
   * Where to read it (`https:`, `file:`; `http:` only on loopback). `osv`: the OSV files; `usn-api`: the API's base
   * URL; `usn-db`: the database.json; `signed-feed`: the feed's base URL (its `index` is read from there); `mbox`:
   * the mbox file; `news`: the RSS/Atom document; `osv-api`: the API's base URL (`https://api.osv.dev`);
   * `github-osv`: the base of the raw files of canonical/ubuntu-security-notices.
   */
  readonly urls: readonly string[]
  /** `github-osv` only: advisory ids always read (`USN-7000-1`, `UBUNTU-CVE-2024-45490`), besides those found. */
  readonly ids?: readonly string[] | undefined
}

/** A key file to pin (docs/trust.md, "Pinned keys"). */
export interface KeyFileConfig extends PinnedKeyConfig {
  /** Path of the armored or binary key, relative to the keys folder unless absolute. */
  readonly file: string
}

/** The engine's configuration after all layers are merged. */
export interface AppConfig {
  readonly mirrors: readonly MirrorConfig[]
  readonly channels: readonly ChannelConfig[]
  /** Keys added to the built-in keyring. */
  readonly extraKeys: readonly KeyFileConfig[]
  /** Fingerprints removed from the built-in keyring (a policy's key removals). */
  readonly removedKeys: readonly string[]
  readonly pollIntervalMs: number
  /** Maximum age of a Release without Valid-Until, by pocket (policy `maxAgeHours`); Limits.time otherwise. */
  readonly maxAgeMs?: MaxAgeConfig | undefined
  /** The lowest verdict that raises a desktop notification (policy `notificationLevel`). */
  readonly notificationLevel?: NotificationLevel | undefined
  /** Whether the instruction checker may offer "Check clipboard" (policy `allowClipboardCheck`). */
  readonly allowClipboardCheck?: boolean | undefined
  /** Whether the app may offer "Start at login" (policy `allowAutostart`). */
  readonly allowAutostart?: boolean | undefined
  /** Start at login on by default (policy `autostart`): enabled on first start unless the user chose. */
  readonly autostart?: boolean | undefined
  /** The organisation's helpdesk, shown in the app (policy `helpdesk`). */
  readonly helpdesk?: HelpdeskConfig | undefined
  /** One line of branding shown in the app, e.g. "Provided by Example University IT" (policy `brandingText`). */
  readonly brandingText?: string | undefined
}

/** Maximum Release ages, in milliseconds, for Releases that carry no Valid-Until (Ubuntu sets none). */
export interface MaxAgeConfig {
  /** `*-security` suites. */
  readonly securityMs: number
  /** Every other suite. */
  readonly otherMs: number
}

/** `none`: never notify; `alarm`: only when a verified fix applies and is missing; `attention`: also for warnings. */
export type NotificationLevel = 'none' | 'alarm' | 'attention'

/** Contact details of the helpdesk that provides this build. */
export interface HelpdeskConfig {
  readonly name?: string | undefined
  /** An https: URL. */
  readonly url?: string | undefined
  readonly phone?: string | undefined
  readonly email?: string | undefined
}

/**
 * Status of one mirror × suite after a poll. `stale`: reached and verified, but older than the freshness rule
 * allows (main/core/check/freshness.ts); its versions are still offered.
 */
export type MirrorSuiteState =
  | 'ok'
  | 'lagging'
  | 'stale'
  | 'frozen'
  | 'rolled-back'
  | 'bad-signature'
  | 'wrong-suite'
  | 'hash-mismatch'
  | 'unreachable'
  | 'too-slow'
  | 'too-large'

/** The verified (or failed) state of one mirror × suite, with the evidence behind it. */
export interface MirrorSuiteStatus {
  readonly mirrorId: string
  readonly mirrorName: string
  readonly url: string
  readonly suite: string
  readonly state: MirrorSuiteState
  /** One sentence a non-expert understands. */
  readonly detail: string
  /** The error code behind a failed state. */
  readonly code?: ErrorCode | undefined
  readonly checkedAt: number
  /** Release `Date`, when the Release verified. */
  readonly releaseDate?: number | undefined
  /** Fingerprint of the pinned key that made the accepted signature. */
  readonly signedBy?: string | undefined
  /** Release `Valid-Until`, when set (Ubuntu sets none). */
  readonly validUntil?: number | undefined
  /** For `lagging`: how far this mirror's Release Date is behind the newest verified one for the suite. */
  readonly lagMs?: number | undefined
  /** For a failed state: age of the last verified data still kept for this mirror × suite. */
  readonly dataAgeMs?: number | undefined
  /** True when the Release answered 304 Not Modified (the cheap path). */
  readonly notModified?: boolean | undefined
  /** Body bytes received for this mirror × suite in this poll. */
  readonly bytesTransferred?: number | undefined
}

/** How this machine stands overall: drives the tray colour and the overview sentence. */
export type Verdict = 'safe' | 'attention' | 'alarm' | 'unknown'
