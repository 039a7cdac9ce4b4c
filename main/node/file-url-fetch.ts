/**
 * The `Fetcher` port for `file:` URLs (apt's air-gapped form: a mirror on a USB disk), with the same size cap and
 * abort signal as a download.
 */
import { open } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FetchRequest, FetchResponse } from '../core/ports'
import { errnoCode } from './errno'
import { netError } from './net-error'
import { OPEN_UNTRUSTED } from './read-capped'

/**
 * Reads a `file:` URL with the request's size cap.
 *
 * The file's mtime acts as Last-Modified, so an unchanged USB mirror also costs no read on a second poll.
 */
export async function readFileUrl(url: URL, req: FetchRequest): Promise<FetchResponse> {
  let path: string
  try {
    path = fileURLToPath(url)
  } catch {
    throw netError('NET_BAD_URL', `bad file URL: ${req.url}`, req.url)
  }
  // Opened first, non-blocking, and judged by fstat on the open file: what is read is what was checked, and a
  // named pipe in a file's place (which would hold a blocking open) is refused as no regular file.
  let fh
  try {
    fh = await open(path, OPEN_UNTRUSTED)
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw netError('NET_NOT_FOUND', `no such file: ${path}`, req.url)
    throw netError('NET_UNREACHABLE', `cannot read ${path}: ${code}`, req.url, { cause: code })
  }
  try {
    const st = await fh.stat()
    if (!st.isFile()) throw netError('NET_NOT_FOUND', `not a regular file: ${path}`, req.url)
    const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString()
    if (req.lastModified !== undefined && req.lastModified === lastModified) {
      return {
        url: req.url,
        finalUrl: url.href,
        notModified: true,
        body: new Uint8Array(0),
        lastModified,
        bytesTransferred: 0,
      }
    }
    if (st.size > req.maxBytes) {
      throw netError('NET_TOO_LARGE', `${path} is ${st.size} bytes, cap ${req.maxBytes}`, req.url, {
        declared: st.size,
        maxBytes: req.maxBytes,
      })
    }
    // Read to the end, at most one byte past the cap: a file that grew since the fstat is read whole (the buffer
    // grows), not cut at its old size.
    let buf = Buffer.alloc(Math.min(req.maxBytes + 1, st.size + 1))
    let size = 0
    for (;;) {
      if (req.signal?.aborted) throw netError('NET_ABORTED', `aborted: ${req.url}`, req.url)
      if (size === buf.length) {
        if (size > req.maxBytes) break
        const bigger = Buffer.alloc(Math.min(req.maxBytes + 1, buf.length * 2))
        buf.copy(bigger, 0, 0, size)
        buf = bigger
      }
      const { bytesRead } = await fh.read(buf, size, buf.length - size, size)
      if (bytesRead === 0) break
      size += bytesRead
      req.onProgress?.(size, st.size)
    }
    if (size > req.maxBytes) {
      throw netError('NET_TOO_LARGE', `${path} exceeded the cap of ${req.maxBytes} bytes`, req.url, {
        maxBytes: req.maxBytes,
      })
    }
    return {
      url: req.url,
      finalUrl: url.href,
      notModified: false,
      body: new Uint8Array(buf.buffer, buf.byteOffset, size),
      lastModified,
      bytesTransferred: size,
    }
  } finally {
    await fh.close()
  }
}
