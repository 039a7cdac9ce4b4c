import { describe, expect, it } from 'vitest'
import type { Node } from 'web-tree-sitter'
import type { Word } from '../../../../main/core/inspect/command-model'
import { NO_FLOW } from '../../../../main/core/inspect/command-model'
import { unwrapCommand } from '../../../../main/core/inspect/wrappers'
import type { Unwrapped } from '../../../../main/core/inspect/wrappers'

/** Words of a command line split on spaces; unwrapCommand reads only their text (the node is never touched). */
function words(line: string): Word[] {
  let col = 0
  return line.split(' ').map((text) => {
    const word: Word = {
      text,
      span: { line: 0, start: col, end: col + text.length },
      dynamic: false,
      flow: NO_FLOW,
      processSubst: false,
      node: undefined as unknown as Node,
    }
    col += text.length + 1
    return word
  })
}

/** The result with words as their texts, for comparison. */
function texts(u: Unwrapped): unknown {
  switch (u.kind) {
    case 'run':
      return { kind: u.kind, words: u.words.map((w) => w.text), root: u.root, wrappers: u.wrappers }
    case 'root-shell':
      return { kind: u.kind, words: u.words.map((w) => w.text), wrappers: u.wrappers }
    case 'su-command':
      return { kind: u.kind, code: u.code.text }
    case 'nothing':
      return { kind: u.kind }
  }
}

describe('unwrapCommand', () => {
  it('returns the real program, root, every wrapper and the environment they set', () => {
    const env = new Map<string, Word>()
    const u = unwrapCommand(words('sudo -u admin FOO=1 env -i BAR=2 nice -n 5 curl -s x'), false, env)
    expect(texts(u)).toEqual({
      kind: 'run',
      words: ['curl', '-s', 'x'],
      root: true,
      wrappers: ['sudo', 'env', 'nice'],
    })
    expect([...env].map(([k, w]) => [k, w.text])).toEqual([
      ['FOO', '1'],
      ['BAR', '2'],
    ])
  })

  it('skips the fixed arguments of timeout, flock, chroot and ionice', () => {
    for (const [line, rest] of [
      ['timeout -s KILL 5 bash x', 'bash x'],
      ['flock -w 3 /tmp/lock bash x', 'bash x'],
      ['chroot /mnt bash x', 'bash x'],
      ['ionice -c 2 7 bash x', 'bash x'],
      ['busybox sh x', 'sh x'],
      ['nohup -- bash x', 'bash x'],
    ] as const) {
      const u = unwrapCommand(words(line), false, new Map())
      expect(u.kind === 'run' ? u.words.map((w) => w.text).join(' ') : u.kind).toBe(rest)
    }
  })

  it('returns a root shell for sudo -i, sudo -s and a bare su, and nothing for sudo -v', () => {
    expect(texts(unwrapCommand(words('sudo -i'), false, new Map()))).toEqual({
      kind: 'root-shell',
      words: ['sh'],
      wrappers: ['sudo'],
    })
    expect(texts(unwrapCommand(words('sudo su -'), false, new Map()))).toEqual({
      kind: 'root-shell',
      words: ['sh'],
      wrappers: ['sudo', 'su'],
    })
    expect(unwrapCommand(words('sudo -v'), false, new Map()).kind).toBe('nothing')
  })

  it('returns the script of su -c', () => {
    expect(texts(unwrapCommand(words('su root -c id'), false, new Map()))).toEqual({
      kind: 'su-command',
      code: 'id',
    })
  })

  it('keeps command -v as the program, and keeps root from a root prompt', () => {
    expect(texts(unwrapCommand(words('command -v curl'), true, new Map()))).toEqual({
      kind: 'run',
      words: ['command', '-v', 'curl'],
      root: true,
      wrappers: [],
    })
  })

  it('stops after ten wrappers, so a crafted chain cannot loop', () => {
    const u = unwrapCommand(words(`${'nohup '.repeat(12)}curl x`), false, new Map())
    expect(texts(u)).toEqual({
      kind: 'run',
      words: ['nohup', 'nohup', 'curl', 'x'],
      root: false,
      wrappers: Array(10).fill('nohup'),
    })
  })
})
