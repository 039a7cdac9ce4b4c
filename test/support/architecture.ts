import { builtinModules } from 'node:module'
import { dirname, join, normalize, relative } from 'node:path'

/** The layers of main/core/README.md and eslint.config.mjs, by the folder a file lives in. */
export type Layer =
  'contract' | 'core' | 'node' | 'cli' | 'lab' | 'electron' | 'preload-bridge' | 'preload-entry' | 'renderer'

/** What each layer may import: other layers, Node built-ins, and named npm packages. */
export const LayerRules: Readonly<
  Record<
    Layer,
    { readonly layers: readonly Layer[]; readonly builtins: boolean; readonly packages: readonly string[] }
  >
> = {
  contract: { layers: ['contract'], builtins: false, packages: [] },
  core: { layers: ['core'], builtins: false, packages: ['openpgp', 'zod', 'web-tree-sitter'] },
  node: {
    layers: ['core', 'node', 'contract'],
    builtins: true,
    packages: ['openpgp', 'zod', 'web-tree-sitter', 'xz-decompress', 'seek-bzip'],
  },
  // `lifeline lab` (docs/cli.md, "lifeline lab") starts the outage lab.
  cli: { layers: ['core', 'node', 'cli', 'lab', 'contract'], builtins: true, packages: ['openpgp', 'zod'] },
  lab: { layers: ['core', 'node', 'lab', 'contract'], builtins: true, packages: ['openpgp', 'zod'] },
  electron: { layers: ['core', 'node', 'electron', 'contract'], builtins: true, packages: ['electron'] },
  'preload-bridge': { layers: ['contract', 'preload-bridge'], builtins: false, packages: [] },
  'preload-entry': { layers: ['contract', 'preload-bridge'], builtins: false, packages: ['electron'] },
  // The renderer uses the same createBridge in browser mode (docs/ui.md, "Architecture"), so it may import it at run time.
  renderer: {
    layers: ['renderer', 'contract', 'preload-bridge'],
    builtins: false,
    packages: ['react', 'react-dom', 'zustand'],
  },
}

/** The layer of a repository-relative path, or undefined for files outside the layered tree. */
export function layerOf(path: string): Layer | undefined {
  const p = path.replaceAll('\\', '/')
  if (p.startsWith('preload/contract/')) return 'contract'
  if (p === 'preload/bridge.ts') return 'preload-bridge'
  if (p === 'preload/index.ts') return 'preload-entry'
  if (p.startsWith('main/core/')) return 'core'
  if (p.startsWith('main/node/')) return 'node'
  if (p.startsWith('main/cli/')) return 'cli'
  if (p.startsWith('main/lab/')) return 'lab'
  if (p.startsWith('main/electron/') || p === 'main/index.ts') return 'electron'
  if (p.startsWith('renderer/')) return 'renderer'
  return undefined
}

/** Every import specifier in a source text: static, dynamic, re-exports and require. */
export function importSpecifiers(source: string): string[] {
  const out: string[] = []
  const re =
    /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3]) as string)
  return out
}

const BUILTINS = new Set(builtinModules)

/** The violations of one file's imports, as readable strings (empty when the file keeps to its layer). */
export function checkImports(file: string, specifiers: readonly string[]): string[] {
  const layer = layerOf(file)
  if (!layer) return []
  const rule = LayerRules[layer]
  const problems: string[] = []
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      if (spec.endsWith('.css')) continue
      const target = normalize(join(dirname(file), spec)).replaceAll('\\', '/')
      const targetLayer = layerOf(target) ?? layerOf(`${target}.ts`)
      if (!targetLayer || !rule.layers.includes(targetLayer)) {
        problems.push(`${file}: ${layer} may not import ${spec} (${targetLayer ?? relative('.', target)})`)
      }
      continue
    }
    const isBuiltin = spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0] as string)
    if (isBuiltin) {
      if (!rule.builtins) problems.push(`${file}: ${layer} may not import the Node built-in ${spec}`)
      continue
    }
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string)
    if (!rule.packages.includes(pkg)) problems.push(`${file}: ${layer} may not import the package ${pkg}`)
  }
  return problems
}
