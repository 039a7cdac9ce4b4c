/**
 * Reading an open file to its end under a size cap, for files whose size is not trusted (key files, policy files).
 */
import type { FileHandle } from 'node:fs/promises'

/**
 * Reads `handle` from its position to the end: the bytes, or undefined when the file holds more than `maxBytes`.
 *
 * The read stops at `maxBytes + 1` bytes whatever `stat` said before, so a file that grows while it is read cannot
 * make us allocate more than the cap.
 */
export async function readToEndCapped(handle: FileHandle, maxBytes: number): Promise<Uint8Array | undefined> {
  const buf = new Uint8Array(maxBytes + 1)
  let total = 0
  for (;;) {
    const { bytesRead } = await handle.read(buf, total, buf.length - total, null)
    if (bytesRead === 0) break
    total += bytesRead
    if (total > maxBytes) return undefined
  }
  return buf.slice(0, total)
}
