/**
 * The tests' archive key: a lab key (main/lab/archive.ts, which also builds every Release, InRelease and Packages
 * index the tests sign) with a fixed test name and creation date, and a keyring pinning it in the `archive` role.
 *
 * Keys made here are test keys: never trust them outside tests.
 */
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { generateLabKey, pinnedKeyEntry } from '../../main/lab/archive'
import type { LabKey } from '../../main/lab/archive'

/** A generated archive key and a keyring pinning it with the `archive` role. */
export interface TestArchiveKey extends LabKey {
  readonly keyring: Keyring
}

/** Generates an Ed25519 archive key created at `created` (epoch ms). */
export async function makeTestArchiveKey(
  name = 'Lifeline Test Archive Key',
  created = Date.parse('2025-01-01T00:00:00Z'),
): Promise<TestArchiveKey> {
  const key = await generateLabKey({ role: 'archive', name, created, email: 'test-archive@lifeline.invalid' })
  return { ...key, keyring: await loadKeyring([pinnedKeyEntry(key)]) }
}
