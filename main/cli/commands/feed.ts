/**
 * `lifeline feed`: publish and check Lifeline's signed advisory feed (docs/signed-feed.md).
 *
 * `feed build` signs a folder of OSV files into a feed (serial = previous index's serial + 1); `feed verify` reads a
 * feed from a URL or a folder exactly as the app does and reports what verified. Exit codes: 0 ok, 1 the feed does
 * not verify (or a file failed), 2 usage or input error.
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as openpgp from 'openpgp'
import { FEED_INDEX_NAME, formatFeedDate, parseFeedIndex } from '../../core/advisories/feed-index'
import { parseOsvUsn } from '../../core/advisories/osv'
import {
  buildSignedFeed,
  readSignedFeed,
  type SignedFeedBuildErrorCode,
} from '../../core/advisories/signed-feed'
import { areaOfCode, type AdvisoryErrorCode, type ErrorCode } from '../../core/error-codes'
import { assertNever, CoreError, isCoreError } from '../../core/errors'
import { Limits } from '../../core/limits'
import { loadKeyring, type KeyringEntry } from '../../core/pgp/keyring'
import { createFetcher } from '../../node/http-fetcher'
import { readFileCapped } from '../../node/keys'
import type { CliCommand, CliIo } from '../io'
import { checkFolder, cliPath, parseNowOption, UsageError } from '../options'
import { parseCommandArgs, type CommandArgs } from '../args'

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

/** The feed name rule of docs/signed-feed.md (`Feed` field), checked before anything is read or signed. */
const FEED_NAME = /^[a-z0-9][a-z0-9.+-]{0,63}$/

/** Reads a file given on the command line; an unreadable one is an input error naming the option. */
async function readOptionFile(io: CliIo, option: string, path: string, max: number): Promise<Uint8Array> {
  try {
    return await readFileCapped(cliPath(io, path), max)
  } catch (e) {
    throw new UsageError(`${option} ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/**
 * Checks that the --key file holds an OpenPGP secret key before any file is written.
 *
 * The usual mistake is to pass the public key (the one users pin); say so instead of openpgp's "Armored text not
 * of type private key".
 */
async function checkSecretKey(keyPath: string, armored: string): Promise<void> {
  try {
    await openpgp.readPrivateKey({ armoredKey: armored })
  } catch {
    const isPublic = armored.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')
    throw new UsageError(
      `--key ${keyPath} is not an armored OpenPGP secret key` +
        (isPublic
          ? ' (it is a public key; export the secret one with gpg --armor --export-secret-keys FINGERPRINT)'
          : ''),
    )
  }
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
    text = new TextDecoder().decode(
      await readFileCapped(join(outDir, FEED_INDEX_NAME), Limits.advisories.feedIndexBytes),
    )
  } catch {
    return undefined
  }
  try {
    const msg = await openpgp.readCleartextMessage({ cleartextMessage: text })
    const index = parseFeedIndex(msg.getText())
    return { serial: index.serial, feed: index.feed }
  } catch (e) {
    // Never guess a serial: a new index must be above the published one (docs/signed-feed.md, rollback).
    throw new UsageError(
      `${join(outDir, FEED_INDEX_NAME)} exists but is not a readable feed index, so the next serial is unknown ` +
        `(${e instanceof Error ? e.message : String(e)}); move it away or fix it`,
    )
  }
}

/** What `feed build` was asked to do, checked. */
interface BuildRequest {
  readonly keyPath: string
  readonly fromDir: string
  readonly outDir: string
  readonly validDays: number
  readonly now: number
  readonly name: string | undefined
}

/** Reads and checks the options of `feed build`; a UsageError for anything a user must fix. */
async function readBuildRequest(io: CliIo, o: CommandArgs['options']): Promise<BuildRequest> {
  const keyPath = o.key
  const from = o.from
  const out = o.out
  if (typeof keyPath !== 'string' || typeof from !== 'string' || typeof out !== 'string') {
    throw new UsageError('feed build needs --key, --from and --out')
  }
  const validDays = o['valid-for'] === undefined ? 7 : Number(o['valid-for'])
  if (
    !Number.isFinite(validDays) ||
    validDays <= 0 ||
    validDays * DAY_MS > Limits.advisories.feedMaxValidityMs
  ) {
    throw new UsageError(
      `--valid-for must be a number of days above 0 and at most ${Limits.advisories.feedMaxValidityMs / DAY_MS} (got "${String(o['valid-for'])}")`,
    )
  }
  const now = typeof o.now === 'string' ? parseNowOption(o.now) : Date.now()
  const fromDir = cliPath(io, from)
  const badFrom = await checkFolder(fromDir, '--from')
  if (badFrom) throw new UsageError(badFrom)
  const name = typeof o.name === 'string' ? o.name : undefined
  return { keyPath, fromDir, outDir: cliPath(io, out), validDays, now, name }
}

/** Every OSV file under `fromDir`, each checked with the parser the app uses, so an error names the file. */
async function readOsvFiles(fromDir: string, now: number): Promise<{ path: string; data: Uint8Array }[]> {
  const names = await listJson(fromDir)
  if (names.length === 0) throw new UsageError(`--from ${fromDir}: no .json file in it`)
  const files: { path: string; data: Uint8Array }[] = []
  for (const path of names) {
    // Capped while it is read (a file that grows after its size was listed stops at the cap), and only a regular
    // file: a named pipe among the advisories is refused instead of waited on.
    let data: Uint8Array
    try {
      data = await readFileCapped(join(fromDir, path), Limits.size.advisoryBytes)
    } catch (e) {
      if (isCoreError(e, 'KEYS_TOO_LARGE')) throw new UsageError(`${path} is over the advisory size cap`)
      throw new UsageError(`${path}: ${e instanceof Error ? e.message : String(e)}`)
    }
    // Checked here with the file's own path as the source, so an error names the file to fix (the engine's own
    // check in buildSignedFeed would name the feed); same parser, so nothing it accepts is refused here.
    parseOsvUsn(data, { channelId: path, channelType: 'signed-feed', url: path, fetchedAt: now })
    files.push({ path, data })
  }
  return files
}

/** The feed's name: --name, else the published index's, else the output folder's name made valid. */
function feedNameFor(name: string | undefined, previousFeed: string | undefined, outDir: string): string {
  const feed =
    name ?? previousFeed ?? (outDir.split(sep).pop() ?? 'feed').toLowerCase().replace(/[^a-z0-9.+-]/g, '-')
  if (!FEED_NAME.test(feed)) {
    throw new UsageError(
      `feed name "${feed}" is not valid: give --name with 1-64 characters of a-z 0-9 . + -, starting with a letter or digit`,
    )
  }
  return feed
}

/** The codes buildSignedFeed gives when the key cannot sign: the key is the input at fault. */
const SIGNING_KEY_CODES: ReadonlySet<ErrorCode> = new Set<SignedFeedBuildErrorCode>([
  'ADV_FEED_KEY_NOT_PRIVATE',
  'ADV_FEED_KEY_UNREADABLE',
  'ADV_FEED_BAD_PASSPHRASE',
  'ADV_FEED_KEY_NOT_YET_VALID',
  'ADV_FEED_KEY_CANNOT_SIGN',
])

/**
 * Whether a coded failure of `feed verify` is the feed not verifying (exit 1: its signature, freshness, rollback,
 * size or host) rather than an input to fix (exit 2). Decided per area, and per code for advisory codes.
 */
export function isFeedNotVerified(code: ErrorCode): boolean {
  const area = areaOfCode(code)
  switch (area) {
    case 'pgp':
    case 'net':
      return true
    case 'advisory':
      return FEED_NOT_VERIFIED[code as AdvisoryErrorCode]
    case 'api':
    case 'apt':
    case 'evidence':
    case 'system':
    case 'inspect':
    case 'config':
    case 'state':
    case 'key-file':
    case 'app':
    case 'cli':
    case 'lab':
      return false
    default:
      return assertNever(area, 'error area')
  }
}

/** Per advisory code: does it mean the feed did not verify? Every ADV_FEED_* code and a listed file too large. */
const FEED_NOT_VERIFIED: Readonly<Record<AdvisoryErrorCode, boolean>> = {
  ADV_TOO_LARGE: true,
  ADV_FEED_SYNTAX: true,
  ADV_FEED_VERSION: true,
  ADV_FEED_NAME: true,
  ADV_FEED_EXPIRED: true,
  ADV_FEED_DATE_IN_FUTURE: true,
  ADV_FEED_ROLLBACK: true,
  ADV_FEED_BAD_PATH: true,
  ADV_FEED_UNSIGNED_TEXT: true,
  ADV_FEED_KEY_NOT_PRIVATE: true,
  ADV_FEED_KEY_UNREADABLE: true,
  ADV_FEED_BAD_PASSPHRASE: true,
  ADV_FEED_KEY_NOT_YET_VALID: true,
  ADV_FEED_KEY_CANNOT_SIGN: true,
  ADV_NOT_JSON: false,
  ADV_SCHEMA: false,
  ADV_BAD_DATE: false,
  ADV_CHANNEL_CONFIG: false,
  ADV_SIZE_MISMATCH: false,
  ADV_HASH_MISMATCH: false,
  ADV_MBOX_SYNTAX: false,
  ADV_MAIL_UNSIGNED: false,
  ADV_MAIL_TEXT_OUTSIDE_SIGNATURE: false,
  ADV_MAIL_NOT_USN: false,
  ADV_NEWS_SYNTAX: false,
  ADV_ID_MISMATCH: false,
  ADV_QUERY_LIMIT: false,
}

/**
 * The error to report for a failure to sign: the key is the input at fault for a locked key, a key that cannot
 * sign, a wrong passphrase (coded by buildSignedFeed or thrown by openpgp), so those are usage errors.
 */
function signingError(e: unknown, keyPath: string): Error {
  if (e instanceof CoreError && e.code === 'PGP_KEY_LOCKED')
    return new UsageError(
      `--key ${keyPath} is passphrase-protected: put the passphrase in $LIFELINE_FEED_PASSPHRASE`,
    )
  // The key is the input at fault: the same one-line message as for openpgp's errors below.
  if (e instanceof CoreError && SIGNING_KEY_CODES.has(e.code))
    return new UsageError(
      `cannot sign with --key ${keyPath}: ${e.message}` +
        (e.code === 'ADV_FEED_BAD_PASSPHRASE' ? ' (check $LIFELINE_FEED_PASSPHRASE)' : '') +
        (e.code === 'ADV_FEED_KEY_NOT_YET_VALID' ? ' (--now is before the key was made)' : ''),
    )
  if (e instanceof CoreError) return e
  // openpgp's own errors while unlocking or signing (wrong passphrase, a key not valid at --now, a key that
  // cannot sign): the key is the input at fault.
  const why = e instanceof Error ? e.message : String(e)
  return new UsageError(
    `cannot sign with --key ${keyPath}: ${why}` +
      (/passphrase/i.test(why) ? ' (check $LIFELINE_FEED_PASSPHRASE)' : '') +
      (/in the future/i.test(why) ? ' (--now is before the key was made)' : ''),
  )
}

/** Writes the files first, the index last and atomically: a reader never sees an index listing files not yet written. */
async function writeFeed(
  req: BuildRequest,
  files: readonly { path: string; data: Uint8Array }[],
  signedIndex: string,
): Promise<void> {
  for (const f of files) {
    const target = join(req.outDir, f.path)
    if (resolve(target) === resolve(join(req.fromDir, f.path))) continue
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, f.data)
  }
  await mkdir(req.outDir, { recursive: true })
  const tmp = join(req.outDir, `.${FEED_INDEX_NAME}.tmp`)
  await writeFile(tmp, signedIndex)
  await rename(tmp, join(req.outDir, FEED_INDEX_NAME))
}

/** `feed build`: signs the OSV files of --from into a feed in --out, one serial above the published one. */
async function build(io: CliIo, o: CommandArgs['options']): Promise<number> {
  const req = await readBuildRequest(io, o)
  const armoredPrivateKey = new TextDecoder().decode(
    await readOptionFile(io, '--key', req.keyPath, Limits.size.keyBytes),
  )
  await checkSecretKey(req.keyPath, armoredPrivateKey)
  const files = await readOsvFiles(req.fromDir, req.now)
  const prev = await previousIndex(req.outDir)
  const feed = feedNameFor(req.name, prev?.feed, req.outDir)
  let built
  try {
    built = await buildSignedFeed({
      feed,
      files,
      now: req.now,
      validForMs: Math.round(req.validDays * DAY_MS),
      serial: (prev?.serial ?? 0) + 1,
      armoredPrivateKey,
      passphrase: io.env.LIFELINE_FEED_PASSPHRASE,
    })
  } catch (e) {
    throw signingError(e, req.keyPath)
  }
  await writeFeed(req, files, built.signedIndex)
  io.stdout(
    `feed ${built.index.feed}: serial ${built.index.serial}, ${built.index.files.length} files, ` +
      `valid until ${formatFeedDate(built.index.validUntil)}, signed by ${built.fingerprint}\n`,
  )
  return 0
}

async function verify(io: CliIo, o: CommandArgs['options'], target: string): Promise<number> {
  const keyFiles = Array.isArray(o.keyring) ? o.keyring : []
  if (keyFiles.length === 0) throw new UsageError('feed verify needs --keyring FILE')
  const entries: KeyringEntry[] = []
  for (const f of keyFiles) {
    entries.push({
      data: await readOptionFile(io, '--keyring', f, Limits.size.keyBytes),
      role: 'advisory',
      name: f,
    })
  }
  let keyring
  try {
    keyring = await loadKeyring(entries)
  } catch (e) {
    // A keyring that is not a key is the user's input, not a feed that failed to verify (exit 2, not 1).
    throw new UsageError(`cannot load --keyring: ${e instanceof Error ? e.message : String(e)}`)
  }
  let serial: number | undefined
  if (typeof o.serial === 'string') {
    serial = Number(o.serial)
    if (!Number.isSafeInteger(serial) || serial < 0)
      throw new UsageError('--serial must be a non-negative integer')
  }
  const url = /^(https?|file):/i.test(target) ? target : `${pathToFileURL(cliPath(io, target)).href}/`
  const now = typeof o.now === 'string' ? parseNowOption(o.now) : Date.now()
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
    for (const i of r.issues) io.stderr(`lifeline feed: ${i.code}: ${i.record}: ${i.message}\n`)
  }
  return r.issues.length === 0 ? 0 : 1
}

/** `lifeline feed build|verify`. */
export const feedCommand: CliCommand = {
  name: 'feed',
  summary: 'build (sign) or verify a Lifeline signed advisory feed',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(
      io,
      'feed',
      args,
      {
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
      },
      HELP,
    )
    if (parsed === undefined) return 2
    const [sub, ...rest] = parsed.positional
    if (parsed.options.help === true) {
      io.stdout(HELP)
      return 0
    }
    if (sub === undefined) {
      io.stderr(`lifeline feed: missing subcommand (build or verify)\n\n${HELP}`)
      return 2
    }
    try {
      if (sub === 'build' && rest.length === 0) return await build(io, parsed.options)
      if (sub === 'verify' && rest.length === 1 && rest[0] !== undefined)
        return await verify(io, parsed.options, rest[0])
      throw new UsageError(`unknown or malformed subcommand: feed ${parsed.positional.join(' ')}`)
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`lifeline feed: ${e.message}\n`)
        return 2
      }
      if (e instanceof CoreError) {
        io.stderr(`lifeline feed: ${e.code}: ${e.message}\n`)
        // Failures of the feed itself (signature, freshness, rollback, unreachable) are "not verified".
        return isFeedNotVerified(e.code) && sub === 'verify' ? 1 : 2
      }
      if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
        io.stderr(`lifeline feed: ${e.message}\n`)
        return 2
      }
      throw e
    }
  },
}
