/**
 * docs/architecture.md is a map: a path that no longer exists, or a name that left its file, sends a newcomer to
 * the wrong room. These checks fail when the code moves and the map does not.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..', '..')
const DOC = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8')

/** The folders and root files a backticked token must start with to be read as a repository path. */
const REPO_PATH =
  /^(?:main|preload|renderer|test|docs|resources|bench|scripts)\/[\w./-]*$|^[\w.-]+\.(?:mjs|json|md)$/

/** Every backticked token of a text. */
function backticked(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
}

/** The rows of the "Where does X live" table: question, files, names to look for. */
function whereRows(): { question: string; files: string[]; names: string[] }[] {
  const start = DOC.indexOf('## Where does X live')
  const end = DOC.indexOf('\n## ', start + 1)
  const section = DOC.slice(start, end === -1 ? undefined : end)
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
  return rows.slice(1).map((line) => {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1)
    return {
      question: (cells[0] ?? '').trim(),
      files: backticked(cells[1] ?? ''),
      names: backticked(cells[2] ?? ''),
    }
  })
}

describe('docs/architecture.md', () => {
  it('names only repository paths that exist', () => {
    const paths = backticked(DOC).filter((t) => REPO_PATH.test(t))
    expect(paths.length).toBeGreaterThan(60)
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([])
  })

  it('links only documents that exist next to it', () => {
    const links = [...DOC.matchAll(/\]\(([\w.-]+\.md)\)/g)].map((m) => m[1] as string)
    expect(links.length).toBeGreaterThan(0)
    expect(links.filter((l) => !existsSync(join(ROOT, 'docs', l)))).toEqual([])
  })

  it('answers the seven everyday questions and a dozen more in its table', () => {
    const questions = whereRows().map((r) => r.question)
    expect(questions.length).toBeGreaterThanOrEqual(19)
    for (const q of [
      'Where is InRelease verified?',
      'Where is the rollback mark?',
      'Where is "fix on another mirror" decided?',
      'Where is the `curl \\| sudo bash` rule?',
      'Where is the tray state?',
      "Where does `check`'s exit code come from?",
      'Where is the policy lock?',
    ])
      expect(questions).toContain(q)
  })

  it('finds every name of the table in one of the files its row names', () => {
    const misses: string[] = []
    for (const row of whereRows()) {
      expect(row.files.length, row.question).toBeGreaterThan(0)
      expect(row.names.length, row.question).toBeGreaterThan(0)
      const texts = row.files
        .filter((f) => existsSync(join(ROOT, f)))
        .map((f) => readFileSync(join(ROOT, f), 'utf8'))
      for (const name of row.names)
        if (!texts.some((t) => t.includes(name))) misses.push(`${row.question}: ${name}`)
    }
    expect(misses).toEqual([])
  })
})
