import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  applyAutostartPolicy,
  AUTOSTART_CHOICE_FILE,
  autostartEntry,
  autostartPath,
  autostartStartAction,
  createXdgAutostart,
  quoteExecArg,
  recordingUserChoice,
} from '../../../main/node/autostart'

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

describe('autostartStartAction', () => {
  const base = { policyDefault: undefined, allowed: true, enabled: false, decided: false }
  describe('when no policy says anything', () => {
    it('does nothing: off by default', () => {
      expect(autostartStartAction(base)).toBe('none')
    })
  })
  describe('when a policy turns it on and nobody decided yet', () => {
    it('enables it', () => {
      expect(autostartStartAction({ ...base, policyDefault: true })).toBe('enable')
    })
  })
  describe('when the user (or the policy, once) already decided', () => {
    it('leaves the entry as it is, on or off', () => {
      expect(autostartStartAction({ ...base, policyDefault: true, decided: true })).toBe('none')
      expect(autostartStartAction({ ...base, policyDefault: true, enabled: true })).toBe('none')
    })
  })
  describe('when a policy forbids it', () => {
    it('removes an existing entry, even if another policy turns it on', () => {
      expect(autostartStartAction({ ...base, allowed: false, enabled: true })).toBe('remove')
      expect(autostartStartAction({ ...base, allowed: false, enabled: true, policyDefault: true })).toBe(
        'remove',
      )
      expect(autostartStartAction({ ...base, allowed: false })).toBe('none')
    })
  })
})

describe('applyAutostartPolicy', () => {
  const setup = () => {
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg') }
    const choiceFile = join(home, 'data', AUTOSTART_CHOICE_FILE)
    const a = recordingUserChoice(
      createXdgAutostart({ exec: ['/usr/bin/lifeline', '--hidden'], env }),
      choiceFile,
    )
    return { a, choiceFile }
  }

  describe('when the policy turns it on at the first start', () => {
    it('writes the entry once and records that the policy decided', async () => {
      const { a, choiceFile } = setup()
      await expect(applyAutostartPolicy(a, { policyDefault: true, allowed: true, choiceFile })).resolves.toBe(
        'enable',
      )
      await expect(a.isEnabled()).resolves.toBe(true)
      expect(JSON.parse(await readFile(choiceFile, 'utf8'))).toMatchObject({ version: 1, by: 'policy' })
    })
  })

  describe('when the user turned it off afterwards', () => {
    it('keeps it off at the next start', async () => {
      const { a, choiceFile } = setup()
      await applyAutostartPolicy(a, { policyDefault: true, allowed: true, choiceFile })
      await a.set(false)
      expect(JSON.parse(await readFile(choiceFile, 'utf8'))).toMatchObject({ by: 'user' })
      await expect(applyAutostartPolicy(a, { policyDefault: true, allowed: true, choiceFile })).resolves.toBe(
        'none',
      )
      await expect(a.isEnabled()).resolves.toBe(false)
    })
  })

  describe('when a policy forbids it and an entry exists', () => {
    it('removes the entry', async () => {
      const { a, choiceFile } = setup()
      await a.set(true)
      await expect(
        applyAutostartPolicy(a, { policyDefault: undefined, allowed: false, choiceFile }),
      ).resolves.toBe('remove')
      await expect(a.isEnabled()).resolves.toBe(false)
    })
  })
})
