/**
 * `lifeline feed`: publish and check Lifeline's signed advisory feed (docs/signed-feed.md).
 *
 * `feed build` signs a folder of OSV files into a feed (serial = previous index's serial + 1); `feed verify` reads a
 * feed from a URL or a folder exactly as the app does and reports what verified. Exit codes: 0 ok, 1 the feed does
 * not verify (or a file failed), 2 usage or input error.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as openpgp from 'openpgp'
import { FEED_INDEX_NAME, formatFeedDate, parseFeedIndex } from '../../core/advisories/feed-index'
import { buildSignedFeed, readSignedFeed } from '../../core/advisories/signed-feed'
import { CoreError } from '../../core/errors'
import { Limits } from '../../core/limits'
import { loadKeyring, type KeyringEntry } from '../../core/pgp/keyring'
import { createFetcher } from '../../node/http-fetcher'
import { readFileCapped } from '../../node/keys'
import type { CliCommand, CliIo } from '../io'
import { parseOptions } from '../run'

const DAY_MS = 24 * 3600_000

const HELP = `Usage: lifeline feed build --key SECRET.asc --from DIR --out DIR [--valid-for DAYS] [--name FEED] [--now ISO-8601]
       lifeline feed verify --keyring FILE [--keyring FILE]... [--serial N] [--name FEED] [--now ISO-8601] [--json] URL|DIR

build   Signs every *.json OSV file under --from (kept at the same relative path) into a feed in --out:
        the files, then ${FEED_INDEX_NAME} (clearsigned). The serial is the previous index's in --out plus one.
        --valid-for DAYS (default 7, at most ${Limits.advisories.feedMaxValidityMs / DAY_MS}) sets Valid-Until.
        --name defaults to the previous index's feed name, else to the --out folder's name.
        A passphrase-protected key reads its passphrase from $LIFELINE_FEED_PASSPHRASE.
verify  Reads the feed at URL (https:, http:, file:) or DIR as Lifeline does: signature by a key in --keyring
        (advisory role), Date/Valid-Until, serial above --serial N (the last one you accepted), then every
        file's size and SHA256 before parsing it.

Exit status: 0 ok, 1 not verified or a file failed, 2 usage or input error.
`

class UsageError extends Error {}

function parseNow(value: string | undefined): number {
  if (value === undefined) return Date.now()
  const ms = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : NaN
  if (Number.isNaN(ms)) throw new UsageError(`--now must be ISO-8601, e.g. 2026-11-21T10:00:00Z (got "${value}")`)
  return ms
}

function abs(io: CliIo, p: string): string {
  return isAbsolute(p) ? p : resolve(io.cwd, p)
}

async function listJson(root: string, dir = root, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) await listJson(root, p, out)
    else if (e.isFile() && e.name.endsWith('.json')) out.push(relative(root, p).split(sep).join('/'))
  }
  return out.sort()
}

/** The previous index in `outDir` (read for its serial and name only; the publisher's own output). */
async function previousIndex(outDir: string): Promise<{ serial: number; feed: string } | undefined> {
  let text: string
  try {
    text = new TextDecoder().decode(await readFileCapped(join(outDir, FEED_INDEX_NAME), Limits.advisories.feedIndexBytes))
  } catch {
    return undefined
  }
  const msg = await openpgp.readCleartextMessage({ cleartextMessage: text })
  const index = parseFeedIndex(msg.getText())
  return { serial: index.serial, feed: index.feed }
}

async function build(io: CliIo, o: Record<string, string | boolean | string[]>): Promise<number> {
  const keyPath = o.key
  const from = o.from
  const out = o.out
  if (typeof keyPath !== 'string' || typeof from !== 'string' || typeof out !== 'string') {
    throw new UsageError('feed build needs --key, --from and --out')
  }
  const validDays = o['valid-for'] === undefined ? 7 : Number(o['valid-for'])
  if (!Number.isFinite(validDays) || validDays <= 0 || validDays * DAY_MS > Limits.advisories.feedMaxValidityMs) {
    throw new UsageError(`--valid-for must be a number of days between 0 and ${Limits.advisories.feedMaxValidityMs / DAY_MS}`)
  }
  const now = parseNow(typeof o.now === 'string' ? o.now : undefined)
  const fromDir = abs(io, from)
  const outDir = abs(io, out)
  const armoredPrivateKey = new TextDecoder().decode(await readFileCapped(abs(io, keyPath), Limits.size.keyBytes))
  const names = await listJson(fromDir)
  if (names.length === 0) throw new UsageError(`no .json file under ${fromDir}`)
  const files: { path: string; data: Uint8Array }[] = []
  for (const path of names) {
    const full = join(fromDir, path)
    // Checked on stat first: readFileCapped would allocate the whole cap for each of thousands of small files.
    if ((await stat(full)).size > Limits.size.advisoryBytes) throw new UsageError(`${path} is over the advisory size cap`)
    files.push({ path, data: new Uint8Array(await readFile(full)) })
  }
  const prev = await previousIndex(outDir)
  const feed =
    typeof o.name === 'string'
      ? o.name
      : (prev?.feed ?? (outDir.split(sep).pop() ?? 'feed').toLowerCase().replace(/[^a-z0-9.+-]/g, '-'))
  const built = await buildSignedFeed({
    feed,
    files,
    now,
    validForMs: Math.round(validDays * DAY_MS),
    serial: (prev?.serial ?? 0) + 1,
    armoredPrivateKey,
    passphrase: io.env.LIFELINE_FEED_PASSPHRASE,
  })
  // Files first, the index last and atomically: a reader never sees an index listing files not yet written.
  for (const f of files) {
    const target = join(outDir, f.path)
    if (resolve(target) === resolve(join(fromDir, f.path))) continue
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, f.data)
  }
  await mkdir(outDir, { recursive: true })
  const tmp = join(outDir, `.${FEED_INDEX_NAME}.tmp`)
  await writeFile(tmp, built.signedIndex)
  await rename(tmp, join(outDir, FEED_INDEX_NAME))
  io.stdout(
    `feed ${built.index.feed}: serial ${built.index.serial}, ${built.index.files.length} files, ` +
      `valid until ${formatFeedDate(built.index.validUntil)}, signed by ${built.fingerprint}\n`,
  )
  return 0
}

async function verify(io: CliIo, o: Record<string, string | boolean | string[]>, target: string): Promise<number> {
  const keyFiles = Array.isArray(o.keyring) ? o.keyring : []
  if (keyFiles.length === 0) throw new UsageError('feed verify needs --keyring FILE')
  const entries: KeyringEntry[] = []
  for (const f of keyFiles) {
    entries.push({ data: await readFileCapped(abs(io, f), Limits.size.keyBytes), role: 'advisory', name: f })
  }
  const keyring = await loadKeyring(entries)
  let serial: number | undefined
  if (typeof o.serial === 'string') {
    serial = Number(o.serial)
    if (!Number.isSafeInteger(serial) || serial < 0) throw new UsageError('--serial must be a non-negative integer')
  }
  const url = /^(https?|file):/i.test(target) ? target : `${pathToFileURL(abs(io, target)).href}/`
  const now = parseNow(typeof o.now === 'string' ? o.now : undefined)
  const r = await readSignedFeed(url, {
    fetcher: createFetcher(),
    keyring,
    now,
    previous: serial === undefined ? undefined : { serial, date: 0 },
    feedName: typeof o.name === 'string' ? o.name : undefined,
  })
  if (o.json === true) {
    io.stdout(
      `${JSON.stringify({
        ok: r.issues.length === 0,
        feed: r.index.feed,
        serial: r.index.serial,
        date: new Date(r.index.date).toISOString(),
        validUntil: new Date(r.index.validUntil).toISOString(),
        signedBy: r.signedBy,
        advisories: r.advisories.map((a) => a.id),
        issues: r.issues,
      })}\n`,
    )
  } else {
    io.stdout(
      `feed ${r.index.feed}: serial ${r.index.serial}, dated ${formatFeedDate(r.index.date)}, ` +
        `valid until ${formatFeedDate(r.index.validUntil)}\nsigned by ${r.signedBy}\n` +
        `${r.advisories.length} of ${r.index.files.length} files verified\n`,
    )
    for (const i of r.issues) io.stderr(`${i.code}: ${i.record}: ${i.message}\n`)
  }
  return r.issues.length === 0 ? 0 : 1
}

/** `lifeline feed build|verify`. */
export const feedCommand: CliCommand = {
  name: 'feed',
  summary: 'build (sign) or verify a Lifeline signed advisory feed',
  help: HELP,
  async run(args, io) {
    const parsed = parseOptions(args, {
      key: 'value',
      from: 'value',
      out: 'value',
      'valid-for': 'value',
      name: 'value',
      now: 'value',
      keyring: 'multi',
      serial: 'value',
      json: 'flag',
      help: 'flag',
    })
    if ('error' in parsed) {
      io.stderr(`${parsed.error}\n\n${HELP}`)
      return 2
    }
    const [sub, ...rest] = parsed.positional
    if (parsed.options.help === true || sub === undefined) {
      io.stdout(HELP)
      return sub === undefined && parsed.options.help !== true ? 2 : 0
    }
    try {
      if (sub === 'build' && rest.length === 0) return await build(io, parsed.options)
      if (sub === 'verify' && rest.length === 1 && rest[0] !== undefined) return await verify(io, parsed.options, rest[0])
      throw new UsageError(`unknown or malformed subcommand: feed ${parsed.positional.join(' ')}`)
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`${e.message}\n`)
        return 2
      }
      if (e instanceof CoreError) {
        io.stderr(`${e.code}: ${e.message}\n`)
        // Failures of the feed itself (signature, freshness, rollback, unreachable) are "not verified".
        return /^(ADV_FEED|PGP_|NET_|ADV_TOO_LARGE)/.test(e.code) && sub === 'verify' ? 1 : 2
      }
      if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
        io.stderr(`${e.message}\n`)
        return 2
      }
      throw e
    }
  },
}
