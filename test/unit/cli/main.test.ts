import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { streamWriter } from '../../../main/cli/main'

const ROOT = join(__dirname, '..', '..', '..')

describe('streamWriter', () => {
  describe('when the reader has gone away (EPIPE)', () => {
    it('stops writing quietly instead of crashing', async () => {
      const written: string[] = []
      let calls = 0
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          calls++
          if (calls === 1) written.push(chunk.toString())
          done(calls === 1 ? null : Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
        },
      })
      const write = streamWriter(stream)
      write('first\n')
      write('second\n')
      await new Promise((r) => setImmediate(r))
      expect(() => write('third\n')).not.toThrow()
      await new Promise((r) => setImmediate(r))
      expect(written).toEqual(['first\n'])
      expect(calls).toBe(2)
    })
  })
  describe('when the stream fails otherwise', () => {
    it('raises the error', () => {
      const stream = new Writable({ write: (_c, _e, done) => done() })
      streamWriter(stream)
      expect(() => stream.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow(
        'disk full',
      )
    })
  })
})

describe('lifeline | head', () => {
  describe('when the reader closes the pipe after the first line', () => {
    it("exits with the command's own code and no stack trace", async () => {
      const child = spawn(
        process.execPath,
        ['bin/lifeline.mjs', 'verify', 'test/fixtures/ubuntu/apt/noble_InRelease'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let err = ''
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      // Like `head -1`: read one chunk, then close our end.
      child.stdout.once('data', () => child.stdout.destroy())
      const code = await new Promise<number | null>((r) => child.on('close', r))
      expect(err).not.toMatch(/EPIPE|node:events|\n\s+at /)
      expect(code).toBe(0)
    }, 30_000)
  })
})
