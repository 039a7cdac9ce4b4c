/**
 * Node implementation of the core `Decompressor` port: gzip via node:zlib, xz via the `xz-decompress` WASM
 * decoder, bzip2 (source artifacts such as bzip2's own `.debian.tar.bz2`) via the pure-JS `seek-bzip`. Output is capped (decompression bombs): past `maxBytes` the result is NET_TOO_LARGE, the code the
 * port documents; a stream that cannot be decoded is APT_CORRUPT_COMPRESSION.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { createGunzip, gunzip } from 'node:zlib'
import Bunzip from 'seek-bzip'
import * as xzModule from 'xz-decompress'
import { CoreError } from '../core/errors'
import type { AptErrorCode } from '../core/apt/errors'
import type { NetErrorCode } from '../core/errors'
import type { DecompressStream, Decompressor } from '../core/ports'

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
    if (format === 'bz2') return bz2(data, maxBytes)
    throw corrupt(`unknown compression format ${String(format)}`)
  }
}

/**
 * Creates the streaming decompressor: output goes to `onChunk` as it is produced (the xz decoder's own chunks,
 * zlib's 64 KB ones), is hashed on the way, and stops at `maxBytes` (NET_TOO_LARGE). A CoreError thrown by
 * `onChunk` (a parse error in the index) stops decoding and is passed on as is.
 */
export function createDecompressStream(): DecompressStream {
  return async (format, data, maxBytes, onChunk) => {
    const hash = createHash('sha256')
    let size = 0
    const take = (chunk: Uint8Array) => {
      size += chunk.byteLength
      if (size > maxBytes) throw tooLarge(maxBytes)
      hash.update(chunk)
      onChunk(chunk)
    }
    if (format === 'gz') await gzStream(data, take)
    else if (format === 'xz') await xzStream(data, take)
    else throw corrupt(`unknown compression format ${String(format)}`)
    return { size, sha256: hash.digest('hex') }
  }
}

async function gzStream(data: Uint8Array, take: (chunk: Uint8Array) => void): Promise<void> {
  const z = createGunzip()
  const done = new Promise<void>((resolve, reject) => {
    z.on('data', (chunk: Buffer) => {
      try {
        take(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      } catch (e) {
        z.destroy()
        reject(e instanceof Error ? e : new Error(String(e)))
      }
    })
    z.on('end', () => resolve())
    z.on('error', (e) => reject(corrupt(`gzip stream is corrupt: ${e.message}`)))
  })
  z.end(data)
  await done
}

async function xzStream(data: Uint8Array, take: (chunk: Uint8Array) => void): Promise<void> {
  checkXzMagic(data)
  const reader = xzReader(data)
  for (;;) {
    let r: Awaited<ReturnType<typeof reader.read>>
    try {
      r = await reader.read()
    } catch (e) {
      throw corrupt(`xz stream is corrupt: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (r.done) return
    try {
      // The decoder may reuse its buffer after the next read; `take` finishes with the chunk before that.
      take(r.value)
    } catch (e) {
      await reader.cancel().catch(() => undefined)
      throw e
    }
  }
}

function checkXzMagic(data: Uint8Array): void {
  // xz streams start with FD 37 7A 58 5A 00 (xz file format 1.0.4, section 2.1.1.1); check it first so that
  // garbage is reported as corrupt without going through the decoder.
  const magic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]
  if (data.byteLength < 6 || magic.some((b, i) => data[i] !== b))
    throw corrupt('not an xz stream (bad magic)')
}

function xzReader(data: Uint8Array): ReadableStreamDefaultReader<Uint8Array> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(data)
      controller.close()
    },
  })
  return new XzReadableStream(input).getReader()
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

/** The whole xz output, through `xzStream` with a collector that stops at `maxBytes` (NET_TOO_LARGE). */
async function xz(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  await xzStream(data, (chunk) => {
    total += chunk.byteLength
    if (total > maxBytes) throw tooLarge(maxBytes)
    // The decoder reuses its buffer between reads on some versions: copy what we keep.
    chunks.push(chunk.slice())
  })
  const out = Buffer.concat(chunks, total)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/**
 * bzip2, decoded synchronously by `seek-bzip` into an output that refuses a byte past `maxBytes`: the decoder
 * stops at the cap (a bomb is never inflated whole) and the input stream refuses to read past its end (a truncated
 * stream is corrupt, not a source of made-up bits). The data is small (a source artifact within
 * Limits.size.sourceArtifactBytes) and already checked against its signed SHA256.
 */
function bz2(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  // "BZh" and a block size digit 1-9 (bzip2's file header); garbage is reported without the decoder.
  if (
    data.byteLength < 4 ||
    data[0] !== 0x42 ||
    data[1] !== 0x5a ||
    data[2] !== 0x68 ||
    (data[3] ?? 0) < 0x31 ||
    (data[3] ?? 0) > 0x39
  )
    return Promise.reject(corrupt('not a bzip2 stream (bad magic)'))
  const cap = tooLarge(maxBytes)
  const truncated = corrupt('bzip2 stream is corrupt: it ends early')
  let pos = 0
  const input = {
    readByte(): number {
      if (pos >= data.byteLength) throw truncated
      return data[pos++] ?? 0
    },
    read(buf: Uint8Array, off: number, len: number): number {
      if (pos >= data.byteLength) return -1
      const n = Math.min(len, data.byteLength - pos)
      buf.set(data.subarray(pos, pos + n), off)
      pos += n
      return n
    },
    seek(p: number): void {
      pos = p
    },
    eof(): boolean {
      return pos >= data.byteLength
    },
  }
  let out = new Uint8Array(Math.min(Math.max(1, maxBytes), Math.max(64 << 10, data.byteLength * 4)))
  let size = 0
  const output = {
    writeByte(b: number): void {
      if (size >= maxBytes) throw cap
      if (size === out.byteLength) {
        const grown = new Uint8Array(Math.min(maxBytes, out.byteLength * 2))
        grown.set(out)
        out = grown
      }
      out[size++] = b
    },
  }
  try {
    // multistream: pbzip2 and lbzip2 write one stream per chunk, which bunzip2 reads as one file.
    Bunzip.decode(input, output, true)
  } catch (e) {
    if (e instanceof CoreError) return Promise.reject(e)
    return Promise.reject(corrupt(`bzip2 stream is corrupt: ${e instanceof Error ? e.message : String(e)}`))
  }
  return Promise.resolve(out.slice(0, size))
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
