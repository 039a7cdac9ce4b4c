import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isatty } from 'node:tty'
import { appRoot } from '../node/paths'
import { commands } from './commands'
import type { CliIo } from './io'
import { runCli } from './run'

/** The stream-like object `streamWriter` needs (process.stdout, or a test's Writable). */
export interface WritableLike {
  write(text: string): boolean
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown
}

/**
 * A write function for a process stream that survives the reader going away.
 *
 * `lifeline verify X | head -1` closes the pipe early: Node then emits EPIPE as an 'error' event, which, unhandled,
 * kills the process with a stack trace and a wrong exit code. Like `cat`, once the reader is gone we stop writing
 * quietly and let the command finish with its own exit code. Any other stream error is still raised.
 */
export function streamWriter(stream: WritableLike): (text: string) => void {
  let closed = false
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') {
      closed = true
      return
    }
    throw e
  })
  return (text) => {
    if (!closed) stream.write(text)
  }
}

/**
 * Reads a stream to its end or to `maxBytes + 1` bytes, whichever comes first.
 *
 * Leaving the loop early ends the async iterator, which destroys the stream: nothing more is read, the writer gets
 * EPIPE, and memory stays at the cap however much is piped in (`cat huge | lifeline verify -`).
 */
export async function readCapped(stream: AsyncIterable<unknown>, maxBytes: number): Promise<Uint8Array> {
  const limit = maxBytes + 1
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? new TextEncoder().encode(c) : (c as Uint8Array)
    const take = Math.min(chunk.byteLength, limit - total)
    chunks.push(take === chunk.byteLength ? chunk : chunk.subarray(0, take))
    total += take
    if (total >= limit) break
  }
  return new Uint8Array(Buffer.concat(chunks, total))
}

/** The process entry of the `lifeline` command. */
export async function main(argv: readonly string[]): Promise<number> {
  const io: CliIo = {
    stdout: streamWriter(process.stdout),
    stderr: streamWriter(process.stderr),
    readStdin: (maxBytes) => readCapped(process.stdin, maxBytes),
    // isatty(0), not process.stdin.isTTY: touching process.stdin opens the stream for every command.
    stdinIsTTY: isatty(0),
    env: process.env,
    cwd: process.cwd(),
  }
  return runCli(argv, io, commands, version())
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
