import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkImports, importSpecifiers, layerOf } from '../support/architecture'

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
  })
})
