/**
 * Node implementation of the core `Decompressor` port: gzip via node:zlib, xz via the `xz-decompress` WASM
 * decoder. Output is capped (decompression bombs): past `maxBytes` the result is NET_TOO_LARGE, the code the
 * port documents; a stream that cannot be decoded is APT_CORRUPT_COMPRESSION.
 */
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import * as xzModule from 'xz-decompress'
import { CoreError } from '../core/errors'
import type { AptErrorCode } from '../core/apt/errors'
import type { NetErrorCode } from '../core/errors'
import type { Decompressor } from '../core/ports'

const gunzipAsync = promisify(gunzip)

/**
 * The package is a webpack CommonJS bundle whose named exports Node's ESM loader cannot detect: under native
 * ESM they sit on `default`, under bundlers and CJS they are named.
 */
const XzReadableStream: typeof xzModule.XzReadableStream =
  (xzModule as Partial<typeof xzModule>).XzReadableStream ??
  (xzModule as unknown as { default: typeof xzModule }).default.XzReadableStream

/** Creates the Node decompressor. */
export function createDecompressor(): Decompressor {
  return async (format, data, maxBytes) => {
    if (format === 'gz') return gz(data, maxBytes)
    if (format === 'xz') return xz(data, maxBytes)
    throw corrupt(`unknown compression format ${String(format)}`)
  }
}

async function gz(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    // maxOutputLength makes zlib stop at the cap instead of inflating a bomb into memory.
    const out = await gunzipAsync(data, { maxOutputLength: Math.max(1, maxBytes) })
    if (out.byteLength > maxBytes) throw tooLarge(maxBytes)
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  } catch (e) {
    if (e instanceof CoreError) throw e
    if (isNodeError(e) && e.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes)
    throw corrupt(`gzip stream is corrupt: ${e instanceof Error ? e.message : String(e)}`)
  }
}

async function xz(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  // xz streams start with FD 37 7A 58 5A 00 (xz file format 1.0.4, section 2.1.1.1); check it first so that
  // garbage is reported as corrupt without going through the decoder.
  const magic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]
  if (data.byteLength < 6 || magic.some((b, i) => data[i] !== b))
    throw corrupt('not an xz stream (bad magic)')
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(data)
      controller.close()
    },
  })
  const reader = new XzReadableStream(input).getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        throw tooLarge(maxBytes)
      }
      // The decoder reuses its buffer between reads on some versions: copy what we keep.
      chunks.push(value.slice())
    }
  } catch (e) {
    if (e instanceof CoreError) throw e
    throw corrupt(`xz stream is corrupt: ${e instanceof Error ? e.message : String(e)}`)
  }
  const out = new Uint8Array(total)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

function tooLarge(maxBytes: number): CoreError<NetErrorCode> {
  return new CoreError('NET_TOO_LARGE', `decompressed data exceeds ${maxBytes} bytes`, { maxBytes })
}

function corrupt(message: string): CoreError<AptErrorCode> {
  return new CoreError('APT_CORRUPT_COMPRESSION', message)
}

function isNodeError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && 'code' in e
}
