/**
 * Every error code Lifeline can report, in one place: a table per area, each code with the one line that says what
 * it means. A code is data (the tables, listed in docs/error-codes.md) and a type (`ErrorCode`, the union of every
 * table's keys), so a map over codes can be exhaustive and a misspelt code is a type error.
 *
 * This file imports nothing: `errors.ts` (CoreError) and every area's code type build on it without an import cycle.
 * Codes raised outside `main/core` (the Node adapters, the lab, the CLI, the page's transport) are listed here too:
 * a code is a name on the wire, and one list is what the docs and the UI can rely on.
 */

/** Network and download failures, raised by any `Fetcher` implementation. */
export const NET_ERRORS = {
  NET_BAD_URL: 'not a URL, or a scheme this request may not use',
  NET_UNREACHABLE: 'DNS failure, connection refused or reset',
  NET_TIMEOUT: 'the connect or total deadline passed',
  NET_TOO_SLOW: 'the transfer rate stayed under the minimum',
  NET_TOO_LARGE: 'the body exceeded its size cap',
  NET_HTTP_STATUS: 'an HTTP status other than 200 or 304',
  NET_REDIRECT_LIMIT: 'too many redirects, or a redirect loop',
  NET_REDIRECT_DOWNGRADE: 'a redirect from https to http, or to another scheme',
  NET_NOT_FOUND: 'HTTP 404, or a missing file: URL',
  NET_ABORTED: "the caller's AbortSignal fired",
} as const

/** Failures of the app's typed API: the IPC and loopback-host boundary, and the page's own transport. */
export const API_ERRORS = {
  API_BAD_ARGUMENT: 'a request whose arguments do not match the method (or a body that is not JSON)',
  API_UNKNOWN_METHOD: 'a request for a method the API does not have',
  API_UNKNOWN_ID: 'a request naming an id the current report does not hold',
  API_FORBIDDEN: 'the sender is not the app window, or its key was refused',
  API_INTERNAL: 'a bug behind the API: the request failed unexpectedly',
  API_NO_TOKEN: "browser mode: the page's link carries no key for Lifeline",
  API_UNREACHABLE: 'browser mode: Lifeline did not answer in time',
  API_TRANSPORT: 'browser mode: the loopback host answered with an unexpected HTTP status',
  BOOTSTRAP_REFUSED: "browser mode: a used, expired or another user's one-time code",
} as const

/** Failures of the OpenPGP trust core (pinned keys, clearsigned and detached signatures). */
export const PGP_ERRORS = {
  PGP_MALFORMED: 'not a key, signature or clearsigned document, or over a size cap (RFC 9580 sections 6, 7)',
  PGP_NO_SIGNATURE: 'a well-formed document that carries no signature packet',
  PGP_UNKNOWN_SIGNER: 'no signature was made by a pinned key (unknown signers are ignored)',
  PGP_BAD_SIGNATURE: "a pinned key's signature does not match the signed bytes: the document is tampered",
  PGP_KEY_EXPIRED: 'the pinned key or its signing subkey has expired (RFC 9580 5.2.3.13)',
  PGP_SIGNATURE_EXPIRED: 'the signature itself has expired (Signature Expiration Time, RFC 9580 5.2.3.18)',
  PGP_KEY_REVOKED: 'the pinned key or its signing subkey is revoked (RFC 9580 5.2.3.31)',
  PGP_WEAK_KEY: 'RSA under 2047 bits, DSA or ElGamal (the openpgp.js reject sets)',
  PGP_WEAK_HASH: 'a signature over MD5, SHA-1 or RIPEMD-160 (RFC 9580 9.5)',
  PGP_WRONG_ROLE: 'signed only by a pinned key of another role (an advisory key cannot sign a Release)',
  PGP_FINGERPRINT_MISMATCH: 'a key file does not hold exactly the pinned fingerprint(s)',
  PGP_NOT_YET_VALID: 'a signature created after now plus the allowed clock skew',
  PGP_KEY_LOCKED: 'the signing key is passphrase-protected and no passphrase was given',
} as const

/** Failures of the apt metadata layer (versions, deb822, Release checks, indexes, archives). */
export const APT_ERRORS = {
  APT_BAD_VERSION: 'not a valid Debian version (Debian Policy 5.6.12)',
  APT_PARSE: 'malformed deb822 or control data (Debian Policy 5.1), with a line number',
  APT_MISSING_FIELD: 'a required field is absent from a stanza',
  APT_BAD_FIELD: 'a field is present but its value is malformed (size, hash, yes/no)',
  APT_BAD_DATE: 'a Date or Valid-Until not in the RFC 2822 form apt writes',
  APT_FROZEN: 'Valid-Until has passed (Debian repository format, "Valid-Until")',
  APT_DATE_IN_FUTURE: 'the Release Date is later than now plus the clock skew',
  APT_WRONG_SUITE: 'the Release is not for the pocket asked for (release.ts releaseMatchesSuite)',
  APT_UNSIGNED_TEXT: 'an InRelease with text before its signed block or after its signature',
  APT_ROLLBACK: 'the Release Date is older than the high-water mark for this mirror and suite',
  APT_STALE: 'the Release is older than the maximum age for its suite',
  APT_NOT_IN_RELEASE: 'the index (or source file) is not listed with a SHA256',
  APT_SIZE_MISMATCH: 'the downloaded size differs from the signed size',
  APT_HASH_MISMATCH: 'the downloaded SHA256 differs from the signed hash',
  APT_TOO_LARGE: 'a member or document over its cap (limits.ts)',
  APT_STATE_CAP: 'a verified index whose compact form is over Limits.size.compactIndexBytes: not kept',
  APT_CORRUPT_COMPRESSION: 'an xz or gzip stream that cannot be decoded',
  APT_BAD_TAR: 'a malformed tar archive',
  APT_TAR_MEMBER_NOT_FOUND: 'the requested member is not in the archive (or is not a regular file)',
  APT_BAD_CHANGELOG: 'debian/changelog does not start with a valid entry header',
} as const

/** Failures of the archive-evidence chain (Release to Sources to a source package's changelog). */
export const EVIDENCE_ERRORS = {
  EVIDENCE_NO_VERIFIED_RELEASE: "the mirror and suite have no verified Release in the poller's state",
  EVIDENCE_SOURCE_NOT_FOUND: 'the source version is not listed in the verified Sources index',
  EVIDENCE_NO_CHANGELOG_FILE: 'no .debian.tar.xz/.gz/.bz2, .diff.gz or native .tar.xz/.gz/.bz2 to read',
} as const

/** Failures of the advisory channels and of the signed feed (reading it, and building it with `lifeline feed`). */
export const ADVISORY_ERRORS = {
  ADV_TOO_LARGE: 'a document over Limits.size.advisoryBytes',
  ADV_NOT_JSON: 'not UTF-8 JSON',
  ADV_SCHEMA: 'a record or document does not match its schema; details name channel, record and field',
  ADV_BAD_DATE: 'a date field that is not a valid timestamp',
  ADV_CHANNEL_CONFIG: 'a configured channel that cannot be read as configured (no URL)',
  ADV_FEED_SYNTAX: 'the signed feed index is not a valid index (missing or malformed field)',
  ADV_FEED_VERSION: 'an unsupported Format-Version',
  ADV_FEED_NAME: 'the index names another feed than the one configured',
  ADV_FEED_EXPIRED: "the feed's Valid-Until has passed",
  ADV_FEED_DATE_IN_FUTURE: "the feed's Date is later than now plus the allowed clock skew",
  ADV_FEED_ROLLBACK: 'the Serial is not greater than the high-water mark (a replayed or older index)',
  ADV_FEED_BAD_PATH: 'a listed file name that could escape the feed folder',
  ADV_FEED_UNSIGNED_TEXT: 'text before or after the clearsigned block of the index',
  ADV_SIZE_MISMATCH: "a listed file's size differs from the index",
  ADV_HASH_MISMATCH: "a listed file's SHA256 differs from the index",
  ADV_MBOX_SYNTAX: 'the mbox has no "From " separated message',
  ADV_MAIL_UNSIGNED: 'an announcement email without a clearsigned block',
  ADV_MAIL_TEXT_OUTSIDE_SIGNATURE: 'text after the signature block of an email (ignored)',
  ADV_MAIL_NOT_USN: 'the signed text is not an Ubuntu Security Notice',
  ADV_NEWS_SYNTAX: 'not an RSS or Atom document',
  ADV_ID_MISMATCH: 'a record fetched for one id names another (a substituted file or API answer)',
  ADV_QUERY_LIMIT: 'more records than one check reads (Limits.advisories); the rest wait for the next check',
  ADV_FEED_KEY_NOT_PRIVATE: 'feed signing: an armored public key was given where the secret key is needed',
  ADV_FEED_KEY_UNREADABLE: 'feed signing: not an armored OpenPGP key at all (or damaged)',
  ADV_FEED_BAD_PASSPHRASE: 'feed signing: the passphrase does not unlock the key',
  ADV_FEED_KEY_NOT_YET_VALID: 'feed signing: the index Date is before the key was created',
  ADV_FEED_KEY_CANNOT_SIGN: 'feed signing: expired, revoked, or no key usable for signing at the index Date',
} as const

/** Failures of the local-system readers (os-release, dpkg status, apt sources, kernel, Livepatch). */
export const SYSTEM_ERRORS = {
  SYS_TOO_LARGE: 'a file over its Limits.system cap',
  SYS_NOT_FOUND: 'a required file (os-release, dpkg status) is missing under the root',
  SYS_OS_RELEASE_SYNTAX: 'os-release is not KEY=value lines (os-release(5))',
  SYS_DPKG_STATUS_SYNTAX: 'dpkg status is not deb822 stanzas, or an installed stanza lacks a field',
  SYS_SOURCES_BAD_TYPE: 'a sources line or stanza with a type other than deb or deb-src',
  SYS_SOURCES_BAD_OPTIONS: 'an unterminated or malformed [ option=value ] block',
  SYS_SOURCES_MISSING_FIELD: 'no URI, suite or component, or a deb822 stanza without Types, URIs or Suites',
  SYS_SOURCES_BAD_URI: 'a URI without a scheme apt knows',
  SYS_SOURCES_SYNTAX: 'a deb822 line that is neither a field, a continuation nor a comment',
  SYS_KERNEL_SYNTAX: 'version_signature or the uname release is not in the Ubuntu form',
  SYS_LIVEPATCH_SYNTAX: '`canonical-livepatch status --format json` output not understood',
  SYS_LIVEPATCH_STALE: 'a saved Livepatch status describes another kernel than the running one',
  SYS_LIVEPATCH_UNSAFE: "a saved Livepatch status someone other than the root tree's owner could write",
  SYS_READ_FAILED: 'an I/O error other than "missing", or not a regular file, under the root',
} as const

/** Failures of the instruction checker. */
export const INSPECT_ERRORS = {
  INSPECT_TOO_LARGE: 'pasted text over Limits.size.pastedTextBytes',
  INSPECT_PARSER_LOAD: 'the tree-sitter WASM bytes could not be loaded',
  INSPECT_TOO_COMPLEX: 'one shell region over Limits.inspect.maxParseChars or over the parse budget',
  INSPECT_PARSER_CRASHED: 'the tree-sitter WASM module aborted (out of memory); it is unusable from then on',
} as const

/** Failures of the configuration layers (policy files and user settings). */
export const CONFIG_ERRORS = {
  CONFIG_UNREADABLE: 'a configuration file is missing, unreadable, too large, or not a regular file',
  CONFIG_INVALID: 'a configuration file is not JSON, or does not match the schema',
  CONFIG_UNSAFE: 'a system policy an unprivileged user could have written (owner, mode, symlink)',
  CONFIG_LOCKED: 'a user setting for a value a mandatory policy sets',
  CONFIG_POLICY_ONLY: 'a user setting only a policy may set',
} as const

/** Failures of the saved state (the data folder) and of a check that runs on it offline. */
export const STATE_ERRORS = {
  STATE_BAD_NAME: 'a state name that is not a plain file stem',
  STATE_NEWER_SCHEMA: 'the file was written by a newer app: refused, left untouched',
  STATE_TOO_LARGE: 'a value to write exceeds Limits.size.stateFileBytes',
  STATE_WRITE_FAILED: 'a package list could not be saved (full or read-only disk)',
  STATE_CORRUPT_PIECE:
    'a saved package list does not match its hash: it is not used, the next check fetches it',
  OFFLINE_NO_STATE: 'offline: this mirror was never verified on this computer',
  OFFLINE_DISTRUSTED:
    'offline: the saved data no longer counts (its key, dates or mirror no longer vouch for it)',
} as const

/** Failures of the pinned-key files (`resources/keys/keys.json` and the keys it lists). */
export const KEY_FILE_ERRORS = {
  KEYS_UNREADABLE: 'a key file or the manifest is missing, unreadable or no regular file',
  KEYS_TOO_LARGE: 'a key file over Limits.size.keyBytes',
  KEYS_BAD_MANIFEST: 'keys.json is not valid JSON or does not match its schema',
} as const

/** Refusals of the app's own requests (settings, clipboard, links, sources). */
export const APP_ERRORS = {
  SETTING_LOCKED: 'a mandatory policy sets this value',
  SETTING_UNAVAILABLE: 'the setting cannot be used here (autostart in browser mode, or forbidden by policy)',
  CLIPBOARD_UNAVAILABLE: 'no clipboard reader in this shell (browser mode reads it in the page)',
  CLIPBOARD_DISABLED: 'a policy turns the clipboard check off',
  ADVISORY_NO_LINK: 'no reference URL on the allowlist for this advisory',
  CHANNEL_UNKNOWN: 'no configured advisory source has this id',
  AUTOSTART_WRITE_FAILED: 'the login autostart entry could not be written or removed',
} as const

/** Failures of the `lifeline` command's input. */
export const CLI_ERRORS = {
  INPUT_TOO_LARGE: "a FILE or standard input over the command's size cap",
} as const

/** Failures of the outage lab. */
export const LAB_ERRORS = {
  LAB_UNKNOWN_TARGET: 'a fault for a mirror or channel the lab does not serve',
  LAB_BAD_FAULT: 'a fault that is not a known name, or a malformed fault request',
  LAB_UNKNOWN_SCENARIO: 'no scenario has this name',
  LAB_FIXTURES_MISSING: 'a fixture file the lab serves was not loaded',
  LAB_BAD_REQUEST: 'a control request the lab could not act on',
  LAB_PORT_BUSY: 'another program listens on the port (EADDRINUSE)',
  LAB_PORT_FORBIDDEN: 'a privileged port (below 1024) without the right to bind it (EACCES)',
  LAB_LISTEN_FAILED: 'any other listen error',
} as const

/** Every area's table, by area name: the order of docs/error-codes.md. */
export const ERROR_AREAS = {
  net: NET_ERRORS,
  api: API_ERRORS,
  pgp: PGP_ERRORS,
  apt: APT_ERRORS,
  evidence: EVIDENCE_ERRORS,
  advisory: ADVISORY_ERRORS,
  system: SYSTEM_ERRORS,
  inspect: INSPECT_ERRORS,
  config: CONFIG_ERRORS,
  state: STATE_ERRORS,
  'key-file': KEY_FILE_ERRORS,
  app: APP_ERRORS,
  cli: CLI_ERRORS,
  lab: LAB_ERRORS,
} as const

/** The name of an area of error codes. */
export type ErrorArea = keyof typeof ERROR_AREAS

/** The codes of one area. */
export type ErrorCodeOf<A extends ErrorArea> = keyof (typeof ERROR_AREAS)[A]

/** Every code Lifeline can report: the union of every area's table. */
export type ErrorCode = { readonly [A in ErrorArea]: ErrorCodeOf<A> }[ErrorArea]

/** Network and download failures. */
export type NetErrorCode = ErrorCodeOf<'net'>
/** Failures of the API boundary. */
export type ApiErrorCode = ErrorCodeOf<'api'>
/** Failures of the OpenPGP layer. */
export type PgpErrorCode = ErrorCodeOf<'pgp'>
/** Failures of the apt layer. */
export type AptErrorCode = ErrorCodeOf<'apt'>
/** Failures of the archive-evidence chain. */
export type EvidenceErrorCode = ErrorCodeOf<'evidence'>
/** Failures of the advisory channels and the signed feed. */
export type AdvisoryErrorCode = ErrorCodeOf<'advisory'>
/** Failures of the local-system readers. */
export type SystemErrorCode = ErrorCodeOf<'system'>

/** One code with its area and meaning, as docs/error-codes.md lists it. */
export interface ErrorCodeEntry {
  readonly code: ErrorCode
  readonly area: ErrorArea
  readonly meaning: string
}

/** Every code with its area and meaning, in table order. */
export function errorCodeEntries(): ErrorCodeEntry[] {
  const entries: ErrorCodeEntry[] = []
  for (const [area, table] of Object.entries(ERROR_AREAS) as [
    ErrorArea,
    Readonly<Record<string, string>>,
  ][]) {
    for (const [code, meaning] of Object.entries(table))
      entries.push({ code: code as ErrorCode, area, meaning })
  }
  return entries
}

const AREA_OF_CODE: ReadonlyMap<string, ErrorArea> = new Map(errorCodeEntries().map((e) => [e.code, e.area]))

/** True when `value` is one of Lifeline's error codes (for codes read back from disk or the wire). */
export function isErrorCode(value: string): value is ErrorCode {
  return AREA_OF_CODE.has(value)
}

/** The area a code belongs to. */
export function areaOfCode(code: ErrorCode): ErrorArea {
  return AREA_OF_CODE.get(code) as ErrorArea
}

/** True when `code` is one of area `area`'s codes. */
export function isCodeOf<A extends ErrorArea>(area: A, code: string): code is ErrorCodeOf<A> & string {
  return AREA_OF_CODE.get(code) === area
}
