/**
 * Types of the instruction checker (docs/inspect.md).
 *
 * The report is JSON-safe so it can cross the IPC boundary as-is and be printed by `lifeline inspect --json`.
 */
import type { ErrorCodeOf } from '../error-codes'

/** Error codes of the instruction checker. Bad input never throws anything else. */
export type InspectErrorCode = ErrorCodeOf<'inspect'>

/** How bad a finding is. Any `high` finding makes the verdict `dangerous`. */
export type Severity = 'high' | 'medium' | 'low'

/** The overall answer shown on the banner. */
export type Verdict = 'verified' | 'caution' | 'dangerous'

/** Every rule the checker can report; catalog.ts describes each one and docs/inspect.md lists them. */
export type RuleId =
  | 'pipe-to-shell'
  | 'hidden-root-script'
  | 'raw-network'
  | 'unknown-root-command'
  | 'lifeline-config'
  | 'capabilities'
  | 'kernel-module'
  | 'run-downloaded'
  | 'install-downloaded-deb'
  | 'new-apt-source'
  | 'mirror-change'
  | 'new-apt-key'
  | 'trusted-yes'
  | 'allow-unauthenticated'
  | 'allow-downgrade'
  | 'snap-dangerous'
  | 'tls-disabled'
  | 'disable-protection'
  | 'sudoers'
  | 'root-account'
  | 'setuid'
  | 'world-writable'
  | 'ld-preload'
  | 'authorized-keys'
  | 'persistence'
  | 'dns-hijack'
  | 'container-escape'
  | 'decoded-payload'
  | 'root-package-manager'
  | 'raw-ip-source'
  | 'paste-site'
  | 'lookalike-domain'
  | 'eval-dynamic'
  | 'signature-invalid'
  | 'signature-unknown'
  | 'signature-unchecked'
  | 'unsigned-outside-signed'
  | 'too-complex'

/** One highlighted span and its reason. `line` is 1-based; `start`/`end` are 0-based UTF-16 columns in that line. */
export interface Finding {
  readonly rule: RuleId
  readonly severity: Severity
  /** The rule's title from the catalog (catalog.ts), naming the problem in a few words. */
  readonly title: string
  readonly line: number
  readonly start: number
  readonly end: number
  /** Absolute UTF-16 offsets in the input, for editors that highlight by offset. */
  readonly offset: number
  readonly endOffset: number
  /** One plain sentence a non-expert understands. */
  readonly message: string
}

/** The outcome of checking one clearsigned block. */
export type SignedBlockStatus = 'valid' | 'invalid' | 'unknown-signer' | 'not-checked'

/** One `BEGIN PGP SIGNED MESSAGE` block of the input. Lines are 1-based and inclusive. */
export interface SignedBlockInfo {
  readonly startLine: number
  readonly endLine: number
  readonly status: SignedBlockStatus
  /** Full fingerprints of the pinned keys that made a valid signature (empty unless `valid`). */
  readonly signers: readonly string[]
  /** The verifier's error code when not valid (e.g. PGP_BAD_SIGNATURE). */
  readonly code?: string | undefined
}

/** What a line of the input was understood as. */
export type LineKind = 'prose' | 'command' | 'code' | 'signed-armor'

/** The checker's answer for one text. */
export interface InspectReport {
  readonly verdict: Verdict
  /** Sorted by line, then column. */
  readonly findings: readonly Finding[]
  readonly blocks: readonly SignedBlockInfo[]
  /** One per input line: what it was read as (for highlighting prose vs commands). */
  readonly lineKinds: readonly LineKind[]
  /** Number of shell commands found (after unwrapping sudo/env/sh -c). */
  readonly commandCount: number
  /** A plain-language sentence or two for the banner. */
  readonly summary: string
}

/** A verified clearsigned block, as returned by the injected verifier (main/core/pgp/verify.ts shape). */
export interface VerifiedBlock {
  /** Full fingerprints (or another stable id) of the pinned keys that signed. */
  readonly signers: readonly string[]
}

/**
 * Verifies one clearsigned block against the pinned `advisory` keys.
 *
 * Resolves when at least one signature by a pinned key is valid; throws a CoreError otherwise
 * (PGP_BAD_SIGNATURE, PGP_UNKNOWN_SIGNER, ...).
 */
export type BlockVerifier = (block: string) => Promise<VerifiedBlock>

/** A fixed package version from a verified advisory: `apt install --only-upgrade pkg` to it is `verified`. */
export interface KnownFix {
  readonly package: string
  readonly version: string
}
