import { describe, expect, it } from 'vitest'
import type { CliCommand, CliIo, CommandEntry } from '../../../main/cli/io'
import { EXIT_INTERNAL, parseOptions, runCli } from '../../../main/cli/run'

function fakeIo() {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new Uint8Array(),
    env: {},
    cwd: '/',
  }
  return { io, out, err }
}

const hello: CliCommand = {
  name: 'hello',
  summary: 'says hello',
  help: 'Usage: lifeline hello\n',
  run: async (args, io) => {
    io.stdout(`hello ${args.join(' ')}\n`)
    return 0
  },
}
const entries = (loaded: string[]): CommandEntry[] => [
  { name: 'hello', load: async () => (loaded.push('hello'), hello) },
  {
    name: 'broken',
    load: async () => {
      loaded.push('broken')
      throw new Error('must not be loaded')
    },
  },
]

describe('runCli', () => {
  describe('when a command runs', () => {
    it('loads only that command', async () => {
      const loaded: string[] = []
      const f = fakeIo()
      expect(await runCli(['hello', 'world'], f.io, entries(loaded), '1.2.3')).toBe(0)
      expect(f.out.join('')).toBe('hello world\n')
      expect(loaded).toEqual(['hello'])
    })
  })
  describe('when asked for a command help', () => {
    it('prints it and exits 0', async () => {
      const f = fakeIo()
      expect(await runCli(['hello', '--help'], f.io, entries([]), '1')).toBe(0)
      expect(f.out.join('')).toContain('Usage: lifeline hello')
    })
  })
  describe('when the command is unknown or missing', () => {
    it('exits 64 with a one-line reason', async () => {
      const f = fakeIo()
      expect(await runCli(['nope'], f.io, entries([]), '1')).toBe(64)
      expect(f.err.join('')).toMatch(/unknown command 'nope'/)
    })
  })
  describe('when no command is given', () => {
    it('prints the help on stderr (stdout stays empty) and exits 64', async () => {
      const f = fakeIo()
      expect(await runCli([], f.io, entries([]).slice(0, 1), '1')).toBe(64)
      expect(f.out).toEqual([])
      expect(f.err.join('')).toContain('Usage: lifeline <command>')
    })
  })
  describe('when help is asked for an unknown command', () => {
    it('exits 64 naming it instead of printing the general help', async () => {
      const f = fakeIo()
      expect(await runCli(['help', 'nope'], f.io, entries([]), '1')).toBe(64)
      expect(f.err.join('')).toBe("lifeline: unknown command 'nope'. Run 'lifeline --help' for the list.\n")
      expect(f.out).toEqual([])
    })
    it("prints a known command's help with exit 0", async () => {
      const f = fakeIo()
      expect(await runCli(['help', 'hello'], f.io, entries([]), '1')).toBe(0)
      expect(f.out.join('')).toBe('Usage: lifeline hello\n')
    })
  })
  describe('when a command throws something it did not expect', () => {
    const crashing: CommandEntry = {
      name: 'crash',
      load: async () => ({
        name: 'crash',
        summary: 'throws',
        help: '',
        run: async () => {
          throw new Error('boom\n  in two lines')
        },
      }),
    }
    it('prints one line without a stack and exits 70', async () => {
      const f = fakeIo()
      expect(await runCli(['crash'], f.io, [crashing], '1')).toBe(EXIT_INTERNAL)
      const err = f.err.join('')
      expect(err).toBe(
        'lifeline crash: unexpected error: boom in two lines\n' +
          'This is a bug in Lifeline; run again with LIFELINE_DEBUG=1 for details and report it.\n',
      )
      expect(err).not.toMatch(/\n\s+at /)
    })
    it('adds the stack with LIFELINE_DEBUG=1', async () => {
      const f = fakeIo()
      const io = { ...f.io, env: { LIFELINE_DEBUG: '1' } }
      expect(await runCli(['crash'], io, [crashing], '1')).toBe(70)
      expect(f.err.join('')).toMatch(/\n\s+at /)
    })
  })
  it('prints the version', async () => {
    const f = fakeIo()
    expect(await runCli(['--version'], f.io, [], '1.2.3')).toBe(0)
    expect(f.out.join('')).toBe('lifeline 1.2.3\n')
  })
})

describe('parseOptions', () => {
  it('reads flags, values, repeated values and positionals', () => {
    expect(
      parseOptions(
        ['--json', '--keyring', 'a', '--keyring=b', '--now', 'x', 'file', '--', '--not-an-option'],
        {
          json: 'flag',
          keyring: 'multi',
          now: 'value',
        },
      ),
    ).toEqual({
      options: { json: true, keyring: ['a', 'b'], now: 'x' },
      positional: ['file', '--not-an-option'],
    })
  })
  it('reports an unknown option, a missing value and a value given to a flag', () => {
    expect(parseOptions(['--bogus'], {})).toEqual({ error: 'unknown option --bogus' })
    expect(parseOptions(['--now'], { now: 'value' })).toEqual({ error: '--now needs a value' })
    expect(parseOptions(['--json=1'], { json: 'flag' })).toEqual({ error: '--json takes no value' })
  })
})
