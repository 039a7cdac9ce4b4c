/**
 * Downloading a file of an apt archive (Release, index, source artifact) through the `Fetcher` port: the one
 * place that says which deadline such a download gets and why plain http is acceptable for it.
 */
import { Limits } from '../limits'
import type { FetchResponse, Fetcher } from '../ports'

/** One archive download: the URL, its cap, and optional conditional-GET validators. */
export interface ArchiveFileRequest {
  readonly url: string
  /** Size cap in bytes: a limit from `Limits.size`, or the signed size of the file. */
  readonly maxBytes: number
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
  readonly signal?: AbortSignal | undefined
}

/** Fetches one archive file within `maxBytes` and `Limits.net.totalTimeoutMs`. */
export function fetchArchiveFile(fetcher: Fetcher, request: ArchiveFileRequest): Promise<FetchResponse> {
  return fetcher({
    url: request.url,
    maxBytes: request.maxBytes,
    timeoutMs: Limits.net.totalTimeoutMs,
    // Plain http is acceptable for apt archive files only: every byte used is checked against the Release
    // signature (Debian repository format; apt itself defaults to http).
    allowHttp: true,
    etag: request.etag,
    lastModified: request.lastModified,
    signal: request.signal,
  })
}
