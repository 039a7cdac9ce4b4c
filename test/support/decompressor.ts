/**
 * A `Decompressor` for tests: gzip through node:zlib, xz through xz-decompress (WebAssembly), both capped.
 *
 * (No production Node decompressor exists yet; this is the smallest correct one and can move to main/node.)
 */
import { gunzip } from 'node:zlib'
import { XzReadableStream } from 'xz-decompress'
import { CoreError } from '../../main/core/errors'
import type { Decompressor } from '../../main/core/ports'

function tooLarge(maxBytes: number): CoreError {
  return new CoreError('NET_TOO_LARGE', `decompressed data exceeds ${maxBytes} bytes`, { maxBytes })
}

/** The test decompressor. Corrupt input throws APT_CORRUPT_COMPRESSION; output over `maxBytes` NET_TOO_LARGE. */
export const testDecompressor: Decompressor = async (format, data, maxBytes) => {
  if (format === 'gz') {
    return new Promise<Uint8Array>((resolve, reject) => {
      gunzip(data, { maxOutputLength: maxBytes }, (err, out) => {
        if (!err) resolve(new Uint8Array(out.buffer, out.byteOffset, out.length))
        else if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') reject(tooLarge(maxBytes))
        else reject(new CoreError('APT_CORRUPT_COMPRESSION', `gzip: ${err.message}`))
      })
    })
  }
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(data)
      c.close()
    },
  })
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    const reader = new XzReadableStream(input).getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > maxBytes) {
        await reader.cancel()
        throw tooLarge(maxBytes)
      }
      chunks.push(value)
    }
  } catch (e) {
    if (e instanceof CoreError) throw e
    throw new CoreError('APT_CORRUPT_COMPRESSION', `xz: ${e instanceof Error ? e.message : String(e)}`)
  }
  const out = new Uint8Array(size)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.length
  }
  return out
}
