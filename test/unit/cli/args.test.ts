import { describe, expect, it } from 'vitest'
import { parseCommandArgs, pathOption, referenceTime, type CommandArgs } from '../../../main/cli/args'
import type { CliIo } from '../../../main/cli/io'

function recordingIo(cwd = '/home/user'): CliIo & { readonly err: string[] } {
  const err: string[] = []
  return {
    err,
    stdout: () => undefined,
    stderr: (t) => void err.push(t),
    readStdin: () => Promise.resolve(new Uint8Array()),
    env: {},
    cwd,
  } as CliIo & { readonly err: string[] }
}

const spec = { now: 'value', root: 'value', json: 'flag' } as const

describe('parseCommandArgs', () => {
  it('returns options and positionals for a valid command line', () => {
    const io = recordingIo()
    const args = parseCommandArgs(io, 'mirrors', ['--now', '2026-06-06', '--json'], spec)
    expect(args?.options).toEqual({ now: '2026-06-06', json: true })
    expect(io.err).toEqual([])
  })
  it('prints one usage line naming the command and returns undefined for an unknown option', () => {
    const io = recordingIo()
    expect(parseCommandArgs(io, 'mirrors', ['--bogus'], spec)).toBeUndefined()
    expect(io.err.join('')).toMatch(/^lifeline mirrors: .*--bogus/)
  })
})

describe('referenceTime', () => {
  const args = (options: CommandArgs['options'], positional: string[] = []): CommandArgs => ({
    options,
    positional,
  })
  it('is --now when given', () => {
    expect(referenceTime(recordingIo(), 'check', args({ now: '2026-06-06' }))).toBe(
      Date.parse('2026-06-06T00:00:00Z'),
    )
  })
  it('is the clock when --now is absent', () => {
    const before = Date.now()
    const t = referenceTime(recordingIo(), 'check', args({}))
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual(Date.now())
  })
  it('refuses a stray argument with a usage line', () => {
    const io = recordingIo()
    expect(referenceTime(io, 'check', args({}, ['extra']))).toBeUndefined()
    expect(io.err).toEqual(['lifeline check: unexpected argument "extra"\n'])
  })
  it('refuses a --now that is not a date', () => {
    const io = recordingIo()
    expect(referenceTime(io, 'mirrors', args({ now: '2026-02-30' }))).toBeUndefined()
    expect(io.err.join('')).toMatch(/^lifeline mirrors: /)
  })
})

describe('pathOption', () => {
  it('resolves a relative path against the working directory and leaves an absent option absent', () => {
    const io = recordingIo('/home/user')
    const args: CommandArgs = { options: { root: 'chroot', json: true }, positional: [] }
    expect(pathOption(io, args, 'root')).toBe('/home/user/chroot')
    expect(pathOption(io, args, 'data-dir')).toBeUndefined()
    expect(pathOption(io, args, 'json')).toBeUndefined()
  })
})
