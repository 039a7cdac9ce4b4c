import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { autostartEntry, autostartPath, createXdgAutostart, quoteExecArg } from '../../../main/node/autostart'

let home = ''
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'lifeline-autostart-'))
})
afterEach(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('autostartPath', () => {
  it('uses $XDG_CONFIG_HOME/autostart when it is absolute', () => {
    expect(autostartPath({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' })).toBe(
      '/cfg/autostart/lifeline.desktop',
    )
  })
  it('falls back to ~/.config when XDG_CONFIG_HOME is unset or relative (XDG Base Directory spec)', () => {
    expect(autostartPath({ HOME: '/home/u' })).toBe('/home/u/.config/autostart/lifeline.desktop')
    expect(autostartPath({ HOME: '/home/u', XDG_CONFIG_HOME: 'rel' })).toBe(
      '/home/u/.config/autostart/lifeline.desktop',
    )
  })
})

describe('createXdgAutostart', () => {
  describe('when nothing was written', () => {
    it('is off by default', async () => {
      expect(
        await createXdgAutostart({ exec: ['/opt/lifeline/lifeline'], env: { HOME: home } }).isEnabled(),
      ).toBe(false)
    })
  })
  describe('when turned on and off', () => {
    it('writes the desktop entry in a temp HOME, then removes it', async () => {
      const a = createXdgAutostart({ exec: ['/opt/Life line/lifeline', '--hidden'], env: { HOME: home } })
      await a.set(true)
      const file = join(home, '.config', 'autostart', 'lifeline.desktop')
      const text = await readFile(file, 'utf8')
      expect(text).toContain('[Desktop Entry]\nType=Application\nName=Lifeline\n')
      expect(text).toContain('Exec="/opt/Life line/lifeline" --hidden\n')
      expect((await stat(file)).mode & 0o777).toBe(0o644)
      expect(await a.isEnabled()).toBe(true)
      await a.set(false)
      await expect(stat(file)).rejects.toThrow()
      expect(await a.isEnabled()).toBe(false)
      await a.set(false) // idempotent
    })
    it('honours XDG_CONFIG_HOME', async () => {
      const a = createXdgAutostart({ exec: ['x'], env: { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg') } })
      await a.set(true)
      expect(await readFile(join(home, 'cfg', 'autostart', 'lifeline.desktop'), 'utf8')).toContain('Exec=x')
    })
  })
  describe('when the desktop disabled the entry without deleting it', () => {
    it('counts Hidden=true or X-GNOME-Autostart-enabled=false as off', async () => {
      const dir = join(home, '.config', 'autostart')
      await mkdir(dir, { recursive: true })
      const a = createXdgAutostart({ exec: ['x'], env: { HOME: home } })
      await writeFile(
        join(dir, 'lifeline.desktop'),
        autostartEntry(['x']).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
      )
      expect(await a.isEnabled()).toBe(false)
      await writeFile(join(dir, 'lifeline.desktop'), `${autostartEntry(['x'])}Hidden=true\n`)
      expect(await a.isEnabled()).toBe(false)
    })
  })
})

describe('quoteExecArg', () => {
  it('quotes and escapes reserved characters (Desktop Entry Specification, Exec key)', () => {
    expect(quoteExecArg('/usr/bin/lifeline')).toBe('/usr/bin/lifeline')
    expect(quoteExecArg('a b')).toBe('"a b"')
    expect(quoteExecArg('$HOME"`\\')).toBe('"\\$HOME\\"\\`\\\\"')
  })
})
