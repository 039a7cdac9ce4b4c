import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, normalize } from 'node:path'
import { importSpecifiers } from './architecture'

/** A file → the files it imports, by repository-relative path. */
export type FileGraph = ReadonlyMap<string, ReadonlySet<string>>

/**
 * The import graph of a set of source files given as path → text. Only relative imports that resolve to a file of
 * the set count; type-only imports count too, because a cycle of types still ties the files' meaning together.
 */
export function fileGraph(sources: ReadonlyMap<string, string>): FileGraph {
  const graph = new Map<string, Set<string>>()
  for (const [file, text] of sources) {
    const edges = new Set<string>()
    graph.set(file, edges)
    for (const spec of importSpecifiers(text)) {
      if (!spec.startsWith('.')) continue
      const target = normalize(join(dirname(file), spec)).replaceAll('\\', '/')
      const hit = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`].find((c) => sources.has(c))
      if (hit !== undefined) edges.add(hit)
    }
  }
  return graph
}

/** Every .ts/.tsx file under a repository folder (declaration files left out), as repository-relative paths. */
async function sourcesUnder(root: string, dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`
    if (e.isDirectory()) out.push(...(await sourcesUnder(root, p)))
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/** The import graph of every file under main/core, read from the repository at `root`. */
export async function coreFileGraph(root: string): Promise<FileGraph> {
  const sources = new Map<string, string>()
  for (const file of await sourcesUnder(root, 'main/core'))
    sources.set(file, await readFile(join(root, file), 'utf8'))
  return fileGraph(sources)
}

/**
 * The strongly connected components with more than one member (Tarjan's algorithm): each is a set of files that
 * import one another in a cycle. Members are sorted, and so are the components, so a failing test reads the same
 * on every run.
 */
export function stronglyConnected(graph: FileGraph): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop() as string
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1) out.push(component.sort())
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return out.sort((a, b) => (a[0] as string).localeCompare(b[0] as string))
}
