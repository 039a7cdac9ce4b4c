/**
 * The built-in keyring on disk: `resources/keys/keys.json` plus the key files it names.
 *
 * The manifest pins each file to a full fingerprint and a role (docs/trust.md, "1. Pinned keys"); a key file that
 * no longer holds its pinned key fails with PGP_FINGERPRINT_MISMATCH instead of being trusted.
 */
import { open } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { CoreError } from '../core/errors'
import { Limits } from '../core/limits'
import { loadKeyring } from '../core/pgp/keyring'
import type { Keyring, KeyringEntry } from '../core/pgp/keyring'
import { OPEN_UNTRUSTED, readToEndCapped } from './read-capped'
import type { ErrorCodeOf } from '../core/error-codes'

/** Failures reading key files and the manifest (the keys themselves fail with PGP_* codes). */
export type KeyFileErrorCode = ErrorCodeOf<'key-file'>

/** The manifest file name inside a keys directory. */
export const KEYS_MANIFEST = 'keys.json'

const manifestSchema = z.object({
  version: z.literal(1),
  keys: z
    .array(
      z.object({
        // A plain file name in the same directory: a manifest cannot point elsewhere on disk.
        file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name'),
        fingerprint: z.string().regex(/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/, 'a full upper-case hex fingerprint'),
        role: z.enum(['archive', 'advisory']),
        name: z.string().min(1).max(200),
      }),
    )
    .min(1)
    .max(Limits.pgp.maxKeysPerFile),
})

/** The parsed `keys.json`. */
export type KeysManifest = z.infer<typeof manifestSchema>

/**
 * Reads a file of at most `maxBytes`; KEYS_TOO_LARGE past it, KEYS_UNREADABLE when it cannot be read.
 *
 * The size is checked on the open handle and the read stops at `maxBytes + 1`, so a file that grows while it is
 * read cannot make us allocate more.
 */
export async function readFileCapped(
  path: string,
  maxBytes: number = Limits.size.keyBytes,
): Promise<Uint8Array> {
  let handle
  try {
    handle = await open(path, OPEN_UNTRUSTED)
  } catch (e) {
    throw new CoreError<KeyFileErrorCode>('KEYS_UNREADABLE', `cannot open ${path}: ${(e as Error).message}`, {
      path,
    })
  }
  try {
    const st = await handle.stat()
    if (!st.isFile())
      throw new CoreError<KeyFileErrorCode>('KEYS_UNREADABLE', `${path} is not a regular file`, { path })
    if (st.size > maxBytes) {
      throw new CoreError<KeyFileErrorCode>('KEYS_TOO_LARGE', `${path} is larger than ${maxBytes} bytes`, {
        path,
      })
    }
    const bytes = await readToEndCapped(handle, maxBytes, st.size)
    if (bytes === undefined) {
      throw new CoreError<KeyFileErrorCode>('KEYS_TOO_LARGE', `${path} is larger than ${maxBytes} bytes`, {
        path,
      })
    }
    return bytes
  } catch (e) {
    if (e instanceof CoreError) throw e
    throw new CoreError<KeyFileErrorCode>('KEYS_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, {
      path,
    })
  } finally {
    await handle.close()
  }
}

/** Reads and validates `<dir>/keys.json`. */
export async function readKeysManifest(dir: string): Promise<KeysManifest> {
  const path = join(dir, KEYS_MANIFEST)
  const bytes = await readFileCapped(path, Limits.size.keyBytes)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (e) {
    throw new CoreError<KeyFileErrorCode>(
      'KEYS_BAD_MANIFEST',
      `${path} is not valid JSON: ${(e as Error).message}`,
      {
        path,
      },
    )
  }
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? issue.path.join('.') : ''
    throw new CoreError<KeyFileErrorCode>(
      'KEYS_BAD_MANIFEST',
      `${path}: ${where ? `field "${where}": ` : ''}${issue?.message ?? 'invalid'}`,
      { path, field: where },
    )
  }
  return parsed.data
}

/**
 * Loads the keyring described by `<dir>/keys.json`.
 *
 * Every file is read with the Limits.size.keyBytes cap and must hold exactly its pinned fingerprint.
 */
export async function loadKeyringFromManifest(dir: string): Promise<Keyring> {
  const manifest = await readKeysManifest(dir)
  const entries: KeyringEntry[] = []
  for (const k of manifest.keys) {
    entries.push({
      data: await readFileCapped(join(dir, k.file), Limits.size.keyBytes),
      role: k.role,
      name: k.name,
      fingerprint: k.fingerprint,
    })
  }
  return loadKeyring(entries)
}

/**
 * The app's resources directory: `$LIFELINE_RESOURCES` when set, else `<repo>/resources`.
 *
 * Resolved from this file's location, which is `main/node/` in the source tree and `out/main/` once bundled: both
 * sit two levels under the repository root.
 */
export function resourcesDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const override = env['LIFELINE_RESOURCES']
  if (override !== undefined && override !== '') return resolve(override)
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources')
}

/** The built-in keys directory, `<resources>/keys`. */
export function builtInKeysDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(resourcesDir(env), 'keys')
}
