/**
 * Writing a file atomically: the one way Lifeline replaces a file another reader may open at any moment (the saved
 * state, the stored package-list pieces, the Prometheus metrics file of docs/fleets.md).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { errnoCode } from './errno'

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file before the umask (default 0o600: the app's own data). */
  readonly mode?: number
  /** Create `dir` (and its parents) when missing (default true); false makes a missing folder an error. */
  readonly createDir?: boolean
}

/** Directory fsync failures that only mean "this filesystem does not do that"; the rename is still atomic. */
const DIR_SYNC_UNSUPPORTED: ReadonlySet<string> = new Set(['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'])

/**
 * Writes `bytes` to `dir/file` atomically: a temp file `.<file>.tmp-<pid>-<random>` in the same directory (so the
 * rename cannot cross filesystems), fsync, rename over the target, fsync of the directory. A crash leaves the old
 * file or the new one, never half of one; a killed writer's temp file is swept by the next state store on that
 * name. The temp name starts with a dot and ends in random hex, so no reader that looks for `*.json`, `*.idx` or
 * `*.prom` ever picks it up.
 */
export async function writeFileAtomic(
  dir: string,
  file: string,
  bytes: Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  if (opts.createDir ?? true) await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  let renamed = false
  try {
    const fh = await open(tmp, 'wx', opts.mode ?? 0o600)
    try {
      await fh.writeFile(bytes)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, join(dir, file))
    renamed = true
    await syncDirectory(dir)
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined)
  }
}

/** fsyncs a directory so a rename in it survives a power cut (POSIX: rename durability needs it). */
async function syncDirectory(dir: string): Promise<void> {
  const dh = await open(dir, 'r')
  try {
    await dh.sync()
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has(errnoCode(e))) throw e
  } finally {
    await dh.close()
  }
}
