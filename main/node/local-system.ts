/**
 * Reads this machine (or any root directory holding a Debian/Ubuntu tree) into a `LocalSystem`.
 *
 * Node adapter for `main/core/system`: async fs only, every file size-capped (Limits.system), and nothing read
 * outside `root` when root is not `/` (an image's absolute symlinks would otherwise reach the host's files).
 */
import { execFile } from 'node:child_process'
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises'
import { release as osRelease } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { isCoreError } from '../core/errors'
import { Limits } from '../core/limits'
import {
  buildLocalSystem,
  mirrorListPaths,
  SAVED_LIVEPATCH_STATUS,
  type SourceFileText,
} from '../core/system/local-system'
import { systemError, type LocalSystem, type ReadProblem } from '../core/system/types'
import { OPEN_UNTRUSTED, readToEndCapped } from './read-capped'

/** Options of `readLocalSystem`. */
export interface ReadLocalSystemOptions {
  /**
   * How to get Livepatch status: `false` skips it; a string is the client's path. Default: run
   * `canonical-livepatch` from PATH (then /snap/bin) when root is `/`. Unless `false`, a status saved under the root
   * (SAVED_LIVEPATCH_STATUS) is read when the client gives none.
   */
  readonly livepatch?: boolean | string | undefined
  /** Overrides `uname -r` (default: `os.release()` when root is `/`, none otherwise). */
  readonly unameRelease?: string | undefined
}

function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** Resolves `rel` under `root`, refusing a real path that leaves it (symlink escape) unless root is `/`. */
async function inside(root: string, rel: string): Promise<string> {
  const p = join(root, rel)
  if (resolve(root) === sep) return p
  const real = await realpath(p)
  const realRoot = await realpath(root)
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw systemError('SYS_READ_FAILED', `${rel} points outside the root directory`, { file: rel })
  }
  return real
}

/** Reads a UTF-8 file under root, at most `max` bytes (SYS_TOO_LARGE past it); undefined when missing. */
async function readCapped(root: string, rel: string, max: number): Promise<string | undefined> {
  let path: string
  try {
    path = await inside(root, rel)
  } catch (e) {
    if (isMissing(e)) return undefined
    throw e
  }
  let fh
  try {
    fh = await open(path, OPEN_UNTRUSTED)
  } catch (e) {
    if (isMissing(e)) return undefined
    throw systemError('SYS_READ_FAILED', `cannot read ${rel}`, { file: rel })
  }
  try {
    const st = await fh.stat()
    if (st.isDirectory()) return undefined
    if (!st.isFile()) throw systemError('SYS_READ_FAILED', `${rel} is not a regular file`, { file: rel })
    const bytes = await readToEndCapped(fh, max, st.size)
    if (bytes === undefined)
      throw systemError('SYS_TOO_LARGE', `${rel} is larger than allowed`, { file: rel, max })
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  } finally {
    await fh.close()
  }
}

async function exists(root: string, rel: string): Promise<boolean> {
  try {
    await stat(await inside(root, rel))
    return true
  } catch {
    return false
  }
}

/**
 * Where a saved Livepatch status is read under the root when the client gives none (no client, or a root that is
 * not this machine): the JSON of `canonical-livepatch status --format json` as a root-owned timer saves it
 * (docs/fleets.md shows the unit). Why this form and not `/sys/kernel/livepatch/<patch>/enabled`: the kernel's
 * entries name patch modules, not the CVEs they fix, so they could never say which advisory a patch covers; the
 * client's JSON lists the fixes per kernel. A saved status can be old, so main/core/system/local-system.ts only
 * takes it when it describes the kernel running now.
 */
export { SAVED_LIVEPATCH_STATUS }

/**
 * Reads the saved Livepatch status, refusing one that anyone but the root tree's owner could have written: it turns
 * an "affected" kernel into "fixed", so a file a user (or another group) can write must not count. The owner rule
 * is the root directory's owner (uid 0 for `/`; the owner of a copied tree), for the file and its folder.
 */
async function readSavedLivepatch(root: string, problems: ReadProblem[]): Promise<string | undefined> {
  const rel = SAVED_LIVEPATCH_STATUS
  let file: string
  try {
    file = await inside(root, rel)
  } catch (e) {
    if (isMissing(e)) return undefined
    problems.push({ file: rel, code: isCoreError(e) ? e.code : 'SYS_READ_FAILED', message: String(e) })
    return undefined
  }
  try {
    const owner = (await stat(root)).uid
    if ((await lstat(join(root, rel))).isSymbolicLink()) throw new Error(`${rel} is a symbolic link`)
    for (const p of [join(file, '..'), file]) {
      const st = await lstat(p)
      if (st.uid !== owner) throw new Error(`${p} is owned by uid ${st.uid}, not ${owner}`)
      if ((st.mode & 0o022) !== 0) throw new Error(`${p} is writable by group or others`)
    }
  } catch (e) {
    if (isMissing(e)) return undefined
    problems.push({
      file: rel,
      code: 'SYS_LIVEPATCH_UNSAFE',
      message: `saved Livepatch status not used: ${e instanceof Error ? e.message : String(e)}`,
    })
    return undefined
  }
  try {
    return await readCapped(root, rel, Limits.system.livepatchOutputBytes)
  } catch (e) {
    if (!isCoreError(e)) throw e
    problems.push({ file: rel, code: e.code, message: e.message })
    return undefined
  }
}

function runLivepatch(command: string): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(
      command,
      ['status', '--format', 'json'],
      {
        timeout: Limits.system.livepatchTimeoutMs,
        maxBuffer: Limits.system.livepatchOutputBytes,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (err, stdout) => {
        // Absent client, a timeout or a failure all mean "no Livepatch evidence", never an error for the check.
        if (err) done(undefined)
        else done(String(stdout))
      },
    )
  })
}

/**
 * Reads the local system under `root` (default `/`).
 *
 * Required: `etc/os-release` (or `usr/lib/os-release`, os-release(5)) and `var/lib/dpkg/status`; their absence
 * throws `SYS_NOT_FOUND`. Everything else missing or malformed is reported in `problems` / `sourceProblems`.
 */
export async function readLocalSystem(root = '/', opts: ReadLocalSystemOptions = {}): Promise<LocalSystem> {
  const small = Limits.system.smallFileBytes
  const problems: ReadProblem[] = []
  const soft = async (rel: string, max = small): Promise<string | undefined> => {
    try {
      return await readCapped(root, rel, max)
    } catch (e) {
      if (!isCoreError(e)) throw e
      problems.push({ file: rel, code: e.code, message: e.message })
      return undefined
    }
  }

  const osText =
    (await readCapped(root, 'etc/os-release', small)) ?? (await readCapped(root, 'usr/lib/os-release', small))
  if (osText === undefined) throw systemError('SYS_NOT_FOUND', 'no etc/os-release under the root', { root })
  const dpkgStatus = await readCapped(root, 'var/lib/dpkg/status', Limits.system.dpkgStatusBytes)
  if (dpkgStatus === undefined)
    throw systemError('SYS_NOT_FOUND', 'no var/lib/dpkg/status under the root', { root })

  const sourceFiles: SourceFileText[] = []
  const main = await soft('etc/apt/sources.list')
  if (main !== undefined) sourceFiles.push({ path: '/etc/apt/sources.list', text: main })
  let names: string[] = []
  try {
    names = (await readdir(await inside(root, 'etc/apt/sources.list.d')))
      .filter((n) => n.endsWith('.list') || n.endsWith('.sources'))
      .sort()
  } catch (e) {
    if (!isMissing(e))
      problems.push({ file: 'etc/apt/sources.list.d', code: 'SYS_READ_FAILED', message: String(e) })
  }
  if (names.length > Limits.system.maxSourceFiles) {
    problems.push({
      file: 'etc/apt/sources.list.d',
      code: 'SYS_TOO_LARGE',
      message: `more than ${Limits.system.maxSourceFiles} files; the rest were not read`,
    })
    names = names.slice(0, Limits.system.maxSourceFiles)
  }
  for (const n of names) {
    const text = await soft(`etc/apt/sources.list.d/${n}`)
    if (text !== undefined) sourceFiles.push({ path: `/etc/apt/sources.list.d/${n}`, text })
  }
  const mirrorLists = new Map<string, string>()
  for (const p of mirrorListPaths(sourceFiles)) {
    const text = await soft(p.replace(/^\/+/, ''))
    if (text !== undefined) mirrorLists.set(p, text)
  }

  const isHost = resolve(root) === sep
  const versionSignature = await soft('proc/version_signature')
  const unameRelease = opts.unameRelease ?? (isHost ? osRelease() : undefined)
  // var/run is a symlink to /run on current systems; a copied tree may have either.
  const rebootRequired =
    (await exists(root, 'var/run/reboot-required')) || (await exists(root, 'run/reboot-required'))
  const rebootRequiredPkgs =
    (await soft('var/run/reboot-required.pkgs')) ?? (await soft('run/reboot-required.pkgs'))

  let livepatchJson: string | undefined
  let livepatchSaved = false
  const lp = opts.livepatch ?? isHost
  if (typeof lp === 'string') livepatchJson = await runLivepatch(lp)
  else if (lp)
    livepatchJson =
      (await runLivepatch('canonical-livepatch')) ?? (await runLivepatch('/snap/bin/canonical-livepatch'))
  // `livepatch: false` skips Livepatch altogether; otherwise a saved status stands in when the client said nothing.
  if (livepatchJson === undefined && opts.livepatch !== false) {
    livepatchJson = await readSavedLivepatch(root, problems)
    livepatchSaved = livepatchJson !== undefined
  }

  return buildLocalSystem({
    root,
    osRelease: osText,
    dpkgStatus,
    sourceFiles,
    mirrorLists,
    versionSignature,
    unameRelease,
    rebootRequired,
    rebootRequiredPkgs,
    livepatchJson,
    livepatchSaved,
    problems,
  })
}
