/**
 * Adapter from the poller's verified state (`main/core/apt/mirror-state.ts`) and its compact pieces
 * (`main/core/apt/mirror-store.ts` `loadPieces`) to the assessment's input.
 */
import type { PackageTuple } from '../apt/compact-index'
import type { MirrorsState } from '../apt/mirror-state'
import { isKernelBinaryName } from './package-names'
import type { AvailableVersion } from './types'

/**
 * Flattens the verified indexes of every mirror × suite into `AvailableVersion`s.
 *
 * Only suites with a verified Release contribute (docs/trust.md), and only through pieces in `pieces` (a record
 * whose piece is missing should have been left out of `state` by `withoutMissing`). `wanted` limits the output to package
 * names the assessment can use (installed names; kernel image and module packages are always kept, as a fix may
 * be a new kernel ABI package). `mirrorUrls` maps mirror id → base URL (from the configuration; the record's
 * own `baseUrl` is used when the id is missing).
 */
export function availableFromMirrorsState(
  state: MirrorsState | undefined,
  pieces: ReadonlyMap<string, readonly PackageTuple[]>,
  mirrorUrls: Readonly<Record<string, string>>,
  wanted?: ReadonlySet<string>,
): AvailableVersion[] {
  const out: AvailableVersion[] = []
  if (!state) return out
  const keys = Object.keys(state.suites).sort()
  for (const k of keys) {
    const rec = state.suites[k]
    if (!rec?.verified) continue
    const mirrorUrl = mirrorUrls[rec.mirrorId] ?? rec.baseUrl
    for (const ik of Object.keys(rec.indexes).sort()) {
      const idx = rec.indexes[ik]
      if (!idx) continue
      for (const e of pieces.get(idx.sha256) ?? []) {
        const name = e[0]
        if (wanted && !isWantedName(wanted, name)) continue
        out.push({
          mirrorId: rec.mirrorId,
          mirrorUrl,
          suite: rec.suite,
          component: idx.component,
          package: name,
          arch: e[1],
          version: e[2],
          source: e[3] ?? name,
          sourceVersion: e[4] ?? e[2],
          verifiedAt: rec.verified.verifiedAt,
        })
      }
    }
  }
  return out
}

/**
 * Whether the assessment can use binary package `name` on a machine with `wanted` installed: installed names,
 * and kernel image and module packages (a fix may be a new kernel ABI package). Also the filter applied while
 * compact pieces are read, so the rest of the archive is never held in memory.
 */
export function isWantedName(wanted: ReadonlySet<string>, name: string): boolean {
  return wanted.has(name) || isKernelBinaryName(name)
}
