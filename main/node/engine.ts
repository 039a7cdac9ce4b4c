/**
 * The check's adapters: the real ports (this machine's files, the instruction checker's parser, the keyring with
 * the configuration's keys) handed to the check in main/core/check/run-check.ts, which owns the logic.
 */
import { isAbsolute, join } from 'node:path'
import { createCheckRunner, type CheckPorts, type CheckRunner } from '../core/check/run-check'
import { inspectText } from '../core/inspect/inspect'
import { Limits } from '../core/limits'
import type { AppConfig } from '../core/model'
import { createKeyring, loadKeyring, type Keyring } from '../core/pgp/keyring'
import { readFileCapped } from './keys'
import { readLocalSystem, type ReadLocalSystemOptions } from './local-system'
import { loadShellParser } from './shell-parser'

/**
 * What the engine runs on: the check's ports (main/core/check/run-check.ts) except the two it supplies itself, the
 * machine reader and the instruction checker, plus where the machine is.
 */
export interface EngineOptions extends Omit<CheckPorts, 'readSystem' | 'inspect'> {
  /** Root of the machine to assess. */
  readonly root: string
  readonly system?: ReadLocalSystemOptions | undefined
}

/** The engine: a full check, and the same from saved state only. */
export type Engine = CheckRunner

/** The built-in keyring plus the configuration's extra keys, minus its removed keys (docs/trust.md, point 1). */
export async function effectiveKeyring(
  builtin: Keyring,
  config: AppConfig,
  keysDir: string,
): Promise<Keyring> {
  const extra = config.extraKeys.length
    ? await loadKeyring(
        await Promise.all(
          config.extraKeys.map(async (k) => ({
            data: await readFileCapped(
              isAbsolute(k.file) ? k.file : join(keysDir, k.file),
              Limits.size.keyBytes,
            ),
            role: k.role,
            name: k.name,
            fingerprint: k.fingerprint,
          })),
        ),
      )
    : undefined
  const removed = new Set(config.removedKeys)
  return createKeyring([...builtin.keys, ...(extra?.keys ?? [])].filter((k) => !removed.has(k.fingerprint)))
}

/** Creates the engine over the real machine and the instruction checker. */
export function createEngine(opts: EngineOptions): Engine {
  const { root, system, ...ports } = opts
  return createCheckRunner({
    ...ports,
    readSystem: () => readLocalSystem(root, system),
    // Mitigation text is judged by the same checker as a pasted "fix" (main/core/check/mitigations.ts).
    inspect: async (text) => (await inspectText(text, { parser: await loadShellParser() })).verdict,
  })
}
