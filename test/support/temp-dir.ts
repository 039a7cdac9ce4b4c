/** Temporary directories for tests, removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A temporary directory and its cleanup. */
export interface TempDir {
  readonly path: string
  cleanup(): Promise<void>
}

/** Creates a fresh directory under the OS temp dir. */
export async function makeTempDir(prefix = 'lifeline-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) }
}
