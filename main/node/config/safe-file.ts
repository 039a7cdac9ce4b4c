/**
 * Reading a system policy file only when no unprivileged user could have written it.
 *
 * A policy an attacker can write is no policy: like sudo's sudoers checks and Chromium's managed policy directory,
 * a file under /etc/lifeline is refused when it, or any folder between it and the policy root, is not owned by
 * root, is world-writable, or is group-writable by a group other than root's. Symbolic links are refused (the
 * target's folders would escape the checks). The file is opened with O_NOFOLLOW and checked on the open handle, so
 * it cannot be swapped between the check and the read.
 */
import { constants } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { ConfigErrorCode } from '../../core/config/schema'
import { MAX_CONFIG_FILE_BYTES } from '../../core/config/schema'
import { OPEN_UNTRUSTED, readToEndCapped } from '../read-capped'

/** Who must own system policy files: root, unless a test injects its own uid. */
export interface OwnerRule {
  /** The uid every file and folder must belong to (0 in production). */
  readonly uid: number
  /** Folder at which the folder checks stop (inclusive), e.g. `/etc/lifeline`. */
  readonly trustRoot: string
  /**
   * Another uid accepted as owner: only for a draft checked by `lifeline policy check` outside the policy root (the
   * user preparing it, who will install it owned by root). Modes are checked the same way.
   */
  readonly draftUid?: number | undefined
}

/** The outcome of a read: the text, or why the file was refused. */
export type SafeReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly code: ConfigErrorCode; readonly reason: string }

function mode(m: number): string {
  return `0${(m & 0o7777).toString(8)}`
}

/** Why a file or folder with these stat values is unsafe, or undefined when it is safe. */
export function unsafeReason(
  st: { readonly uid: number; readonly gid: number; readonly mode: number },
  rule: OwnerRule,
  what: string,
): string | undefined {
  if (st.uid !== rule.uid && st.uid !== rule.draftUid) {
    const owner = rule.uid === 0 ? 'root' : `uid ${rule.uid}`
    const draft = rule.draftUid === undefined || rule.draftUid === rule.uid ? '' : ` or uid ${rule.draftUid}`
    return `${what} is owned by uid ${st.uid}, not ${owner}${draft}`
  }
  if (st.mode & 0o002) return `${what} is world-writable (mode ${mode(st.mode)})`
  if (st.mode & 0o020 && st.gid !== 0) {
    return `${what} is writable by group ${st.gid} (mode ${mode(st.mode)})`
  }
  return undefined
}

/** True when `path` is `root` or inside it (both resolved; no `..` tricks). */
function isWithin(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path))
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * Where the folder checks for `file` stop: `policyRoot` (e.g. `/etc/lifeline`) when the file is inside it, else the
 * filesystem root. A key file a policy pins, or a file given to `lifeline policy check`, may live anywhere
 * (`/usr/share/keyrings/org.gpg`); then every folder up to `/` must be safe, since an attacker who can rename any one
 * of them can swap the file.
 */
export function trustRootFor(file: string, policyRoot: string): string {
  return isWithin(file, policyRoot) ? resolve(policyRoot) : resolve('/')
}

const STICKY = 0o1000

/**
 * Checks every folder from the file's own up to `rule.trustRoot`.
 *
 * A folder above the file's own may be world-writable when it is sticky and owned by the trusted uid, like `/tmp`:
 * in a sticky folder only an entry's owner can rename or remove it (chmod(2), S_ISVTX), so the checked folder below
 * cannot be swapped. The file's own folder gets no such exception: whoever can add files next to a policy can plant
 * one.
 */
async function checkFolders(file: string, rule: OwnerRule): Promise<string | undefined> {
  const root = resolve(rule.trustRoot)
  const own = dirname(resolve(file))
  let dir = own
  if (!isWithin(dir, root)) return `${file} is outside ${root}`
  for (;;) {
    const st = await lstat(dir)
    if (st.isSymbolicLink()) return `folder ${dir} is a symbolic link`
    const stickyAbove = dir !== own && (st.mode & STICKY) !== 0 && (st.uid === rule.uid || st.uid === 0)
    const why = unsafeReason(
      stickyAbove ? { uid: st.uid, gid: st.gid, mode: st.mode & ~0o022 } : st,
      rule,
      `folder ${dir}`,
    )
    if (why) return why
    if (dir === root) return undefined
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

/**
 * Reads a UTF-8 file of at most MAX_CONFIG_FILE_BYTES. With `rule`, the file and its folders must pass the owner
 * and mode checks (CONFIG_UNSAFE otherwise). Never throws.
 */
export async function readConfigFile(file: string, rule?: OwnerRule): Promise<SafeReadResult> {
  let handle
  try {
    if (rule) {
      const link = await lstat(file)
      if (link.isSymbolicLink()) {
        return {
          ok: false,
          code: 'CONFIG_UNSAFE',
          reason: 'is a symbolic link; system policies must be regular files',
        }
      }
      const folders = await checkFolders(file, rule)
      if (folders) return { ok: false, code: 'CONFIG_UNSAFE', reason: `refused: ${folders}` }
    }
    handle = await open(file, OPEN_UNTRUSTED | constants.O_NOFOLLOW)
  } catch (e) {
    return { ok: false, code: 'CONFIG_UNREADABLE', reason: `cannot read: ${errnoText(e)}` }
  }
  try {
    const st = await handle.stat()
    if (!st.isFile()) return { ok: false, code: 'CONFIG_UNREADABLE', reason: 'is not a regular file' }
    if (rule) {
      const why = unsafeReason(st, rule, 'the file')
      if (why) return { ok: false, code: 'CONFIG_UNSAFE', reason: `refused: ${why}` }
    }
    if (st.size > MAX_CONFIG_FILE_BYTES) {
      return { ok: false, code: 'CONFIG_UNREADABLE', reason: `is larger than ${MAX_CONFIG_FILE_BYTES} bytes` }
    }
    const bytes = await readToEndCapped(handle, MAX_CONFIG_FILE_BYTES, st.size)
    if (bytes === undefined) {
      return { ok: false, code: 'CONFIG_UNREADABLE', reason: `is larger than ${MAX_CONFIG_FILE_BYTES} bytes` }
    }
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
    } catch {
      return { ok: false, code: 'CONFIG_INVALID', reason: 'is not UTF-8 text' }
    }
  } catch (e) {
    return { ok: false, code: 'CONFIG_UNREADABLE', reason: `cannot read: ${errnoText(e)}` }
  } finally {
    await handle.close()
  }
}

/** "ENOENT" style text without the absolute path Node puts in the message (the caller names the file). */
function errnoText(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = String((e as { code: unknown }).code)
    if (code === 'ENOENT') return 'no such file'
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
    if (code === 'ELOOP') return 'is a symbolic link'
    return code
  }
  return e instanceof Error ? e.message : String(e)
}
