import { createServer } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkFolder, listenFailure, parseIsoTime } from '../../../main/cli/options'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

describe('parseIsoTime', () => {
  describe('when the value is a real ISO-8601 date or date-time', () => {
    it.each([
      ['2026-06-06', '2026-06-06T00:00:00.000Z'],
      ['2026-06-06T12:00:00Z', '2026-06-06T12:00:00.000Z'],
      ['2026-06-06T12:00Z', '2026-06-06T12:00:00.000Z'],
      ['2026-06-06T12:00:00.250Z', '2026-06-06T12:00:00.250Z'],
      ['2026-06-06T14:00:00+02:00', '2026-06-06T12:00:00.000Z'],
      ['2026-06-06T14:00:00+0200', '2026-06-06T12:00:00.000Z'],
      ['2026-06-06 12:00:00Z', '2026-06-06T12:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ])('reads %s as %s', (value, iso) => {
      const r = parseIsoTime(value)
      expect(r.ok && new Date(r.value).toISOString()).toBe(iso)
    })
    it('reads a date-time without a zone as UTC, whatever the machine zone', () => {
      const r = parseIsoTime('2026-06-06T12:00:00')
      expect(r.ok && new Date(r.value).toISOString()).toBe('2026-06-06T12:00:00.000Z')
    })
  })
  describe('when the calendar date or the time does not exist', () => {
    it.each([
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-06-06T24:00:00Z',
      '2026-06-06T12:60Z',
      '2026-06-06T12:00:00+25:00',
    ])('refuses %s', (value) => {
      expect(parseIsoTime(value)).toEqual({
        ok: false,
        error: `--now is not a real date or time: "${value}"`,
      })
    })
  })
  describe('when the value is not ISO-8601', () => {
    it.each(['yesterday', '06/06/2026', '2026-6-6', '', '2026-06-06T12'])(
      'refuses %j naming the option',
      (value) => {
        const r = parseIsoTime(value, '--since')
        expect(r.ok).toBe(false)
        expect(!r.ok && r.error).toBe(
          `--since must be an ISO-8601 date or date-time, e.g. 2026-06-06T12:00:00Z (got "${value}")`,
        )
      },
    )
  })
})

describe('checkFolder', () => {
  let tmp: TempDir
  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-cli-options-')
    await writeFile(join(tmp.path, 'file'), 'x')
  })
  afterAll(() => tmp.cleanup())
  describe('when the path is a folder', () => {
    it('gives no reason', async () => {
      expect(await checkFolder(tmp.path, '--root')).toBeUndefined()
    })
  })
  describe('when the path is missing or a file', () => {
    it('says which, naming the option', async () => {
      expect(await checkFolder(join(tmp.path, 'nope'), '--root')).toBe(
        `--root ${join(tmp.path, 'nope')}: no such folder`,
      )
      expect(await checkFolder(join(tmp.path, 'file'), '--from')).toBe(
        `--from ${join(tmp.path, 'file')} is not a folder`,
      )
    })
  })
})

describe('listenFailure', () => {
  describe('when the port is taken', () => {
    it('names the port that failed and what to do', async () => {
      const a = createServer()
      await new Promise<void>((r) => a.listen(0, '127.0.0.1', () => r()))
      const port = (a.address() as { port: number }).port
      const b = createServer()
      const err = await new Promise<unknown>((r) => {
        b.once('error', r)
        b.listen(port, '127.0.0.1')
      })
      await new Promise<void>((r) => a.close(() => r()))
      expect(listenFailure(err, 1)).toBe(
        `port ${port} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one`,
      )
    })
  })
  describe('when the error is not about listening', () => {
    it('gives undefined, so the caller treats it as a bug', () => {
      expect(listenFailure(new Error('boom'), 1)).toBeUndefined()
    })
  })
})
