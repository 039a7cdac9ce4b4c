/**
 * What the engine needs from the outside world. `main/node` implements these; tests inject their own.
 */

/** A download request. Every field that bounds the download is required: there is no unbounded fetch. */
export interface FetchRequest {
  readonly url: string
  /** Size cap in bytes; exceeding it fails with NET_TOO_LARGE. */
  readonly maxBytes: number
  /** Total deadline in milliseconds; exceeding it fails with NET_TIMEOUT. */
  readonly timeoutMs: number
  /**
   * Whether plain `http:` is acceptable. Only for content whose integrity is checked by signature (apt mirrors).
   * Loopback addresses are always allowed (tests, the outage lab).
   */
  readonly allowHttp: boolean
  /**
   * `GET` unless set. `POST` (JSON APIs such as OSV.dev's querybatch) sends `body` with `contentType`; a POST is
   * never redirected (a redirected POST would resend the body to a host nobody configured), it fails with
   * NET_HTTP_STATUS instead.
   */
  readonly method?: 'GET' | 'POST' | undefined
  /** The request body of a POST (bounded by the caller; nothing else sends a body). */
  readonly body?: Uint8Array | undefined
  /** Content-Type of `body`, e.g. `application/json`. */
  readonly contentType?: string | undefined
  /** Conditional GET validators from a previous response. */
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
  /** Called as bytes arrive, for progress display. */
  readonly onProgress?: ((received: number, total: number | undefined) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

/** A download result. `notModified` means the server answered 304 and `body` is empty. */
export interface FetchResponse {
  readonly url: string
  readonly finalUrl: string
  readonly notModified: boolean
  readonly body: Uint8Array
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
  /** Bytes received on the wire, headers excluded. */
  readonly bytesTransferred: number
}

/** Downloads one URL within its limits. Failures throw `CoreError<NetErrorCode>`. */
export type Fetcher = (req: FetchRequest) => Promise<FetchResponse>

/** The wall clock, injected so every check takes one reference time (tuf-js `referenceTime`). */
export interface Clock {
  now(): number
}

/** Timers, injected so tests can drive time. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): { cancel(): void }
}

/**
 * Decompresses an index or a source artifact. Output is capped at `maxBytes` (NET_TOO_LARGE past it). `bz2` is
 * for source artifacts only (a `.debian.tar.bz2`, main/core/apt/evidence.ts): apt indexes are xz or gz.
 */
export type Decompressor = (
  format: 'xz' | 'gz' | 'bz2',
  data: Uint8Array,
  maxBytes: number,
) => Promise<Uint8Array>

/**
 * Streams a decompressed index to `onChunk` instead of returning it whole, so an index never sits in memory as
 * one buffer. Output is capped at `maxBytes` (NET_TOO_LARGE past it); resolves with the size and lower-case hex
 * SHA256 of everything passed to `onChunk`, for the check against the signed uncompressed hash.
 */
export type DecompressStream = (
  format: 'xz' | 'gz',
  data: Uint8Array,
  maxBytes: number,
  onChunk: (chunk: Uint8Array) => void,
) => Promise<{ readonly size: number; readonly sha256: string }>

/**
 * Content-addressed storage of the compact form of verified indexes (`main/core/apt/compact-index.ts`), keyed
 * by the SHA256 the signed Release names for the index. One piece is shared by every mirror × suite whose
 * Release names that hash. Writes are atomic; a corrupt piece reads as absent and is reported by the store.
 */
export interface IndexStore {
  /** Whether a piece is stored under `key` (cheap: no read). */
  has(key: string): Promise<boolean>
  /** The piece's bytes, or undefined when absent (or unreadable: the store reports and moves it aside). */
  get(key: string): Promise<Uint8Array | undefined>
  put(key: string, data: Uint8Array): Promise<void>
  /** Moves a piece that failed its integrity check out of the way, so the next poll fetches it again. */
  discard(key: string, reason: string): Promise<void>
  /** Deletes the pieces not in `keep` (pieces written in the last moments may be kept: another process's). */
  prune(keep: ReadonlySet<string>): Promise<void>
}

/** A small persistent key → JSON store (the app's data folder). Writes are atomic. */
export interface StateStore {
  read<T>(name: string): Promise<T | undefined>
  write(name: string, value: unknown): Promise<void>
}

/** Module-scoped logger. Never pass key material or whole documents. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** A logger that drops everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
