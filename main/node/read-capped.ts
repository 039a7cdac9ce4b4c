/**
 * Reading a file whose size and kind are not trusted (key files, policy files, the machine's own files, a feed's
 * advisories), under a size cap: the one reader for all of them.
 */
import { constants } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'

/**
 * Open flags for such a file: read-only and non-blocking, so a named pipe put in a file's place cannot hold the
 * open waiting for a writer (the caller then refuses it: `fstat` says it is no regular file). For a regular file
 * the flag changes nothing.
 */
export const OPEN_UNTRUSTED: number = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/** The first read buffer when the size is unknown or small (files under /proc report size 0). */
const FIRST_BUFFER_BYTES = 64 * 1024

/**
 * Reads `handle` from its position to the end: the bytes, or undefined when the file holds more than `maxBytes`.
 *
 * The buffer starts at `sizeHint + 1` bytes (what `fstat` said, plus one to see the end), at least 64 KiB, and
 * doubles when filled, never past `maxBytes + 1`: a small file costs a small buffer, and a file that grows while it
 * is read, or says size 0, still stops one byte past the cap. The result owns its buffer.
 */
export async function readToEndCapped(
  handle: FileHandle,
  maxBytes: number,
  sizeHint = 0,
): Promise<Uint8Array | undefined> {
  let buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(sizeHint + 1, FIRST_BUFFER_BYTES)))
  let total = 0
  for (;;) {
    if (total === buf.length) {
      if (total > maxBytes) return undefined
      const bigger = new Uint8Array(Math.min(maxBytes + 1, buf.length * 2))
      bigger.set(buf)
      buf = bigger
    }
    const { bytesRead } = await handle.read(buf, total, buf.length - total, null)
    // The buffer always has room when a read returns 0 (it grows first), so the end is seen at most at maxBytes.
    if (bytesRead === 0) return buf.slice(0, total)
    total += bytesRead
  }
}
