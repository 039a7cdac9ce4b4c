import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkImports, importSpecifiers, layerOf } from '../support/architecture'
import { coreFileGraph, fileGraph, stronglyConnected } from '../support/import-graph'

const ROOT = join(__dirname, '..', '..')

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await sourceFiles(p)))
    else if (/\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

describe('architecture', () => {
  describe('when checking the layer table itself', () => {
    it('flags main/core importing electron', () => {
      expect(checkImports('main/core/apt/x.ts', ['electron'])).toHaveLength(1)
    })
    it('flags main/core importing node:fs and bare fs', () => {
      expect(checkImports('main/core/x.ts', ['node:fs', 'fs', 'path'])).toHaveLength(3)
    })
    it('flags the contract importing anything outside itself', () => {
      expect(checkImports('preload/contract/api.ts', ['../../main/core/model', 'openpgp'])).toHaveLength(2)
    })
    it('flags the renderer importing main or openpgp', () => {
      expect(
        checkImports('renderer/src/app.tsx', ['../../main/core/model', 'openpgp', 'node:fs']),
      ).toHaveLength(3)
    })
    it('flags main/node importing electron and main/electron', () => {
      expect(checkImports('main/node/backend.ts', ['electron', '../electron/ipc'])).toHaveLength(2)
    })
    it('accepts the allowed imports', () => {
      expect(
        checkImports('main/node/backend.ts', ['node:fs', '../core/model', '../../preload/contract/api']),
      ).toEqual([])
      expect(checkImports('main/electron/ipc.ts', ['electron', '../node/handlers'])).toEqual([])
      expect(
        checkImports('renderer/src/api.ts', ['../../preload/bridge', 'zustand', './styles/app.css']),
      ).toEqual([])
    })
    it('finds static, type, dynamic, re-export and require specifiers', () => {
      const src = `import a from 'a'\nimport type { B } from "b"\nexport * from './c'\nconst d = await import('d')\nrequire('e')`
      expect(importSpecifiers(src)).toEqual(['a', 'b', './c', 'd', 'e'])
    })
  })

  describe('when checking the cycle finder itself', () => {
    it('finds a made-up three-file cycle closed by a type import, and nothing in the files outside it', () => {
      const sources = new Map([
        ['main/core/model.ts', "import type { Row } from './check/verdict'\n"],
        ['main/core/check/verdict.ts', "import { read } from '../engine/channels'\n"],
        ['main/core/engine/channels.ts', "import type { KeyRole } from '../model'\n"],
        ['main/core/limits.ts', ''],
        [
          'main/core/apt/poller.ts',
          "import { Limits } from '../limits'\nimport type { KeyRole } from '../model'\n",
        ],
      ])
      expect(stronglyConnected(fileGraph(sources))).toEqual([
        ['main/core/check/verdict.ts', 'main/core/engine/channels.ts', 'main/core/model.ts'],
      ])
    })
    it('resolves index files and reports two separate cycles apart', () => {
      const sources = new Map([
        ['main/core/a/index.ts', "export * from '../b'\n"],
        ['main/core/b.ts', "import { a } from './a'\n"],
        ['main/core/c.ts', "import { d } from './d'\n"],
        ['main/core/d.ts', "import { c } from './c'\n"],
      ])
      expect(stronglyConnected(fileGraph(sources))).toEqual([
        ['main/core/a/index.ts', 'main/core/b.ts'],
        ['main/core/c.ts', 'main/core/d.ts'],
      ])
    })
    it('finds no cycle in a chain', () => {
      const sources = new Map([
        ['main/core/a.ts', "import { b } from './b'\n"],
        ['main/core/b.ts', "import { c } from './c'\n"],
        ['main/core/c.ts', ''],
      ])
      expect(stronglyConnected(fileGraph(sources))).toEqual([])
    })
  })

  describe('when reading the real source tree', () => {
    it('every file keeps to its layer', async () => {
      const files = [
        ...(await sourceFiles('main')),
        ...(await sourceFiles('preload')),
        ...(await sourceFiles('renderer/src')),
      ]
      expect(files.length).toBeGreaterThan(20)
      const problems: string[] = []
      for (const f of files) {
        const rel = relative(ROOT, join(ROOT, f)).replaceAll('\\', '/')
        expect(layerOf(rel), `${rel} has no layer`).toBeDefined()
        problems.push(...checkImports(rel, importSpecifiers(await readFile(join(ROOT, f), 'utf8'))))
      }
      expect(problems).toEqual([])
    })
    it('main/core has no import cycle between its files (type imports count)', async () => {
      const graph = await coreFileGraph(ROOT)
      expect(graph.size).toBeGreaterThan(50)
      expect(graph.get('main/core/check/report.ts')?.has('main/core/model.ts')).toBe(true)
      expect(stronglyConnected(graph)).toEqual([])
    })
  })
})
