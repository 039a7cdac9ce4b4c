/**
 * Assembles a `LocalSystem` from the raw text of the files under a root directory.
 *
 * Pure: `main/node/local-system.ts` reads the files (size-capped) and calls this, so tests can build a system from
 * strings and the same rules apply to this machine and to a mounted image.
 */
import { isCoreError } from '../errors'
import { nativeArchitecture, parseDpkgStatus } from './dpkg-status'
import { parseLivepatchStatus, parseRebootRequired, parseUnameRelease, parseVersionSignature } from './kernel'
import { parseOsRelease } from './os-release'
import { parseDeb822Sources, parseMirrorList, parseSourcesList } from './sources'
import type {
  AptSourceEntry,
  LivepatchStatus,
  LocalSystem,
  ReadProblem,
  RunningKernel,
  SourceProblem,
} from './types'

/** Where a root-owned timer saves `canonical-livepatch status --format json`, relative to the machine root (main/node/local-system.ts reads it). */
export const SAVED_LIVEPATCH_STATUS = 'var/lib/lifeline/livepatch-status.json'

/** One apt sources file, by its path as shown to the user (e.g. `/etc/apt/sources.list.d/ubuntu.sources`). */
export interface SourceFileText {
  readonly path: string
  readonly text: string
}

/** The raw inputs of a local-system read. Absent optional files are `undefined`. */
export interface LocalSystemFiles {
  readonly root: string
  readonly osRelease: string
  readonly dpkgStatus: string
  /** `.list` files are one-line style, `.sources` files deb822 (sources.list(5), "DESCRIPTION"). */
  readonly sourceFiles: readonly SourceFileText[]
  /** Text of `mirror+file:` lists, by the path the URI names. */
  readonly mirrorLists?: ReadonlyMap<string, string> | undefined
  readonly versionSignature?: string | undefined
  /** `uname -r`, used when version_signature is absent (non-Ubuntu kernels). */
  readonly unameRelease?: string | undefined
  readonly rebootRequired: boolean
  readonly rebootRequiredPkgs?: string | undefined
  readonly livepatchJson?: string | undefined
  /** True when `livepatchJson` is a saved copy (main/node/local-system.ts), not the client's answer just now. */
  readonly livepatchSaved?: boolean | undefined
  /** Problems the reader already met (unreadable optional files). */
  readonly problems?: readonly ReadProblem[] | undefined
}

/**
 * True when a kernel as canonical-livepatch names it (`6.8.0-40.40-generic`) is `running`: the same package version
 * and flavour when version_signature gave the version, else the same ABI and flavour (`uname -r` form).
 */
export function isRunningKernel(name: string, running: RunningKernel): boolean {
  const m = /^(\d+\.\d+\.\d+-\d+)\.(\d+)(?:-(.+))?$/.exec(name)
  if (!m) return false
  const [, abi, upload, flavour = ''] = m as unknown as [string, string, string, string | undefined]
  if (abi !== running.abi || flavour !== running.flavour) return false
  return running.packageVersion === undefined || running.packageVersion === `${abi}.${upload}`
}

/** Parses one sources file by its extension; other extensions are ignored, as apt ignores them. */
export function parseSourceFile(f: SourceFileText): { entries: AptSourceEntry[]; problems: SourceProblem[] } {
  if (f.path.endsWith('.sources')) {
    const r = parseDeb822Sources(f.text, f.path)
    return { entries: [...r.entries], problems: [...r.problems] }
  }
  if (f.path.endsWith('.list')) {
    const r = parseSourcesList(f.text, f.path)
    return { entries: [...r.entries], problems: [...r.problems] }
  }
  return { entries: [], problems: [] }
}

/** The local path a `mirror+file:` URI names (apt-transport-mirror(1)), or undefined for any other URI. */
export function mirrorFilePath(uri: string): string | undefined {
  const m = /^mirror\+file:(?:\/\/)?(\/[^\s]*)$/.exec(uri)
  return m ? (m[1] as string) : undefined
}

/** The `mirror+file:` list paths named by these sources files, so a reader knows what else to read. */
export function mirrorListPaths(files: readonly SourceFileText[]): string[] {
  const paths = new Set<string>()
  for (const f of files) {
    for (const e of parseSourceFile(f).entries) {
      const p = mirrorFilePath(e.uri)
      if (p !== undefined) paths.add(p)
    }
  }
  return [...paths].sort()
}

/**
 * Runs one optional read: a coded failure becomes a `ReadProblem` for `file` (and undefined), anything else is a
 * bug and propagates.
 */
function readOptional<T>(problems: ReadProblem[], file: string, read: () => T): T | undefined {
  try {
    return read()
  } catch (e) {
    if (!isCoreError(e)) throw e
    problems.push({ file, code: e.code, message: e.message })
    return undefined
  }
}

/**
 * Every sources file in path order, each `mirror+file:` entry with its list's URLs; a file that cannot be read at
 * all, and a mirror list that was not read, are problems.
 */
function readSources(
  files: LocalSystemFiles,
  problems: ReadProblem[],
): { readonly sources: AptSourceEntry[]; readonly sourceProblems: SourceProblem[] } {
  const sources: AptSourceEntry[] = []
  const sourceProblems: SourceProblem[] = []
  const ordered = [...files.sourceFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const f of ordered) {
    const parsed = readOptional(problems, f.path, () => parseSourceFile(f))
    if (parsed === undefined) continue
    for (const e of parsed.entries) {
      const p = mirrorFilePath(e.uri)
      const listText = p === undefined ? undefined : files.mirrorLists?.get(p)
      if (p !== undefined && listText === undefined) {
        problems.push({
          file: p,
          code: 'SYS_NOT_FOUND',
          message: `mirror list named in ${f.path} was not read`,
        })
      }
      sources.push(listText === undefined ? e : { ...e, mirrorList: parseMirrorList(listText, p ?? '') })
    }
    sourceProblems.push(...parsed.problems)
  }
  return { sources, sourceProblems }
}

/** The running kernel from version_signature, else from `uname -r`; undefined when neither can be read. */
function readRunningKernel(files: LocalSystemFiles, problems: ReadProblem[]): RunningKernel | undefined {
  const { versionSignature, unameRelease } = files
  const kernel =
    versionSignature === undefined
      ? undefined
      : readOptional(problems, 'proc/version_signature', () => parseVersionSignature(versionSignature))
  if (kernel !== undefined || unameRelease === undefined) return kernel
  return readOptional(problems, 'uname -r', () => parseUnameRelease(unameRelease))
}

/**
 * The Livepatch status. A saved status outlives a reboot: its "running" kernel is the one running when it was
 * saved. Only a status whose running kernel is the one running now says anything; otherwise (or when the running
 * kernel is unknown) it is dropped, so old patches never vouch for a new kernel.
 */
function readLivepatch(
  files: LocalSystemFiles,
  kernel: RunningKernel | undefined,
  problems: ReadProblem[],
): LivepatchStatus | undefined {
  const json = files.livepatchJson
  if (json === undefined) return undefined
  const livepatch = readOptional(problems, 'canonical-livepatch status', () => parseLivepatchStatus(json))
  if (!livepatch || !files.livepatchSaved) return livepatch
  const running = livepatch.kernels.filter((k) => k.running)
  if (kernel && running.length > 0 && running.every((k) => isRunningKernel(k.kernel, kernel)))
    return livepatch
  problems.push({
    file: SAVED_LIVEPATCH_STATUS,
    code: 'SYS_LIVEPATCH_STALE',
    message: `saved Livepatch status is for ${running.map((k) => k.kernel).join(', ') || 'no running kernel'}, not the running kernel ${kernel?.release ?? '(unknown)'}: not used`,
  })
  return undefined
}

/**
 * Builds the `LocalSystem`.
 *
 * os-release and dpkg status are required: their errors propagate (`SYS_OS_RELEASE_SYNTAX`,
 * `SYS_DPKG_STATUS_SYNTAX`, `SYS_TOO_LARGE`). Everything else degrades to a `ReadProblem` and the rest is read.
 */
export function buildLocalSystem(files: LocalSystemFiles): LocalSystem {
  const problems: ReadProblem[] = [...(files.problems ?? [])]
  const os = parseOsRelease(files.osRelease)
  const packages = parseDpkgStatus(files.dpkgStatus)
  const { sources, sourceProblems } = readSources(files, problems)
  const kernel = readRunningKernel(files, problems)
  const rebootRequired = readOptional(problems, 'var/run/reboot-required.pkgs', () =>
    parseRebootRequired(files.rebootRequired, files.rebootRequiredPkgs),
  ) ?? { required: files.rebootRequired, packages: [] }
  const livepatch = readLivepatch(files, kernel, problems)
  return {
    root: files.root,
    os,
    packages,
    nativeArch: nativeArchitecture(packages),
    sources,
    sourceProblems,
    kernel,
    rebootRequired,
    livepatch,
    problems,
  }
}

/** A repository this machine's apt reads packages from: base URL, suite and components (enabled `deb` only). */
export interface UsedSource {
  readonly url: string
  readonly suite: string
  readonly components: readonly string[]
}

/**
 * The repositories apt on this machine installs from: enabled `deb` entries, with each `mirror+file:` list
 * expanded to its URLs (apt may pick any of them). `cdrom:` entries are left out (nothing to verify there).
 */
export function usedSources(system: Pick<LocalSystem, 'sources'>): UsedSource[] {
  const out: UsedSource[] = []
  const seen = new Set<string>()
  for (const e of system.sources) {
    if (!e.enabled || e.type !== 'deb' || e.uri.startsWith('cdrom:')) continue
    const urls = e.mirrorList ?? [e.uri]
    for (const url of urls) {
      const key = `${normalizeMirrorUrl(url)} ${e.suite} ${e.components.join(',')}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ url, suite: e.suite, components: e.components })
    }
  }
  return out
}

/**
 * A comparable form of an archive URL: host lower-cased, default port, trailing slashes and the http/https
 * difference dropped.
 *
 * apt's integrity comes from the signed Release, not TLS, so `http://archive.ubuntu.com/ubuntu/` and
 * `https://archive.ubuntu.com/ubuntu` are the same archive for the question "does this machine use it".
 */
export function normalizeMirrorUrl(url: string): string {
  try {
    const u = new URL(url.replace(/^mirror\+/, ''))
    const scheme = u.protocol === 'https:' ? 'http:' : u.protocol
    const port = u.port === '' || u.port === '80' || u.port === '443' ? '' : `:${u.port}`
    return `${scheme}//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`
  } catch {
    return url.replace(/\/+$/, '')
  }
}
