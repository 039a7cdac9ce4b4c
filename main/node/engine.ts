/**
 * The check's adapters: the real ports (this machine's files, the instruction checker's parser, the keyring with
 * the configuration's keys) handed to the check in main/core/check/run-check.ts, which owns the logic.
 */
import { isAbsolute, join } from 'node:path'
import { createCheckRunner, type CheckRunner } from '../core/check/run-check'
import { inspectText } from '../core/inspect/inspect'
import { Limits } from '../core/limits'
import type { AppConfig, ChannelConfig } from '../core/model'
import type { DecompressStream, Decompressor, Fetcher, IndexStore, Logger, StateStore } from '../core/ports'
import { createKeyring, loadKeyring, type Keyring } from '../core/pgp/keyring'
import { readFileCapped } from './keys'
import { readLocalSystem, type ReadLocalSystemOptions } from './local-system'
import { loadShellParser } from './shell-parser'

/** What the engine runs on. */
export interface EngineOptions {
  readonly config: AppConfig
  /** The channels to read, asked at each check (Settings turns them on and off); default `config.channels`. */
  readonly channels?: (() => readonly ChannelConfig[]) | undefined
  readonly keyring: Keyring
  readonly fetcher: Fetcher
  readonly decompressor: Decompressor
  /** Where mirror and channel state (high-water marks, last good copies) is kept. */
  readonly store: StateStore
  /**
   * Where the compact pieces of verified indexes are kept (`main/core/apt/mirror-store.ts`); it goes with
   * `store`. Default: in memory, for this engine's life (tests; the app passes the data folder's).
   */
  readonly indexes?: IndexStore | undefined
  /** Streaming decompression, so an index never sits in memory whole (optional: tests). */
  readonly decompressStream?: DecompressStream | undefined
  /** Root of the machine to assess. */
  readonly root: string
  readonly system?: ReadLocalSystemOptions | undefined
  readonly log?: Logger | undefined
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
  return createCheckRunner({
    config: opts.config,
    channels: opts.channels,
    keyring: opts.keyring,
    fetcher: opts.fetcher,
    decompressor: opts.decompressor,
    store: opts.store,
    indexes: opts.indexes,
    decompressStream: opts.decompressStream,
    log: opts.log,
    readSystem: () => readLocalSystem(opts.root, opts.system),
    // Mitigation text is judged by the same checker as a pasted "fix" (main/core/check/mitigations.ts).
    inspect: async (text) => (await inspectText(text, { parser: await loadShellParser() })).verdict,
  })
}
