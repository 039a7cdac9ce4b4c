/**
 * The thin Electron glue (tray.ts, external.ts, notifications.ts) against the fake electron module: each renders a
 * pure decision and must not add one of its own.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { trayMenu, trayPresentation } from '../../../main/core/status/tray-model'
import type { PlannedNotification } from '../../../main/core/notify/notify'
import { app, recorder } from '../../support/fake-electron/index.mjs'

vi.mock('electron', () => import('../../support/fake-electron/index.mjs'))

const { openExternal } = await import('../../../main/electron/external')
const { createTray, menuTemplate } = await import('../../../main/electron/tray')
const { showNotification } = await import('../../../main/electron/notifications')

const ICONS = fileURLToPath(new URL('../../../resources/icons/', import.meta.url))

beforeAll(() => {
  if (!app.isReady()) app.fireReady()
})
beforeEach(() => {
  recorder.openExternal.length = 0
  recorder.notifications.length = 0
  recorder.trays.length = 0
})

describe('openExternal', () => {
  describe('when the URL is https on the allowlist', () => {
    it('opens it through shell.openExternal', async () => {
      await expect(openExternal('https://ubuntu.com/security/notices/USN-7000-1')).resolves.toBe(true)
      expect(recorder.openExternal).toEqual(['https://ubuntu.com/security/notices/USN-7000-1'])
    })
  })
  describe('when the URL is anything else', () => {
    it.each([
      'http://ubuntu.com/',
      'https://ubuntu.com.evil.io/',
      'https://ubuntu.com@evil.io/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ])('refuses %s and never calls shell.openExternal', async (url) => {
      await expect(openExternal(url)).resolves.toBe(false)
      expect(recorder.openExternal).toEqual([])
    })
  })
})

const NOW = Date.parse('2026-03-01T10:00:00Z')
const starting = trayPresentation({ kind: 'starting' }, NOW)
const menu = (pausedUntil: number | null = null) =>
  trayMenu(starting, { pausedUntil, now: NOW, clipboardAllowed: true, checking: false })

describe('createTray', () => {
  const actions = () => {
    const ran: string[] = []
    const a = Object.fromEntries(
      [
        'open',
        'check-now',
        'check-clipboard',
        'pause-1h',
        'pause-tomorrow',
        'resume-notifications',
        'quit',
      ].map((id) => [id, () => void ran.push(id)]),
    ) as Parameters<typeof createTray>[1]
    return { a, ran }
  }

  describe('when created', () => {
    it('loads an existing icon file, sets the tooltip and the menu, and opens the window on click', () => {
      const { a, ran } = actions()
      createTray(ICONS, a, starting, menu())
      const tray = recorder.trays[0]
      expect(tray?.images).toEqual([join(ICONS, 'tray-grey-22.png')])
      expect(recorder.emptyImages).toEqual([])
      expect(tray?.tooltips).toEqual(['Lifeline: starting'])
      tray?.emit('click')
      expect(ran).toEqual(['open'])
    })
  })

  describe('when the state changes', () => {
    it('swaps the icon only when it differs and always re-renders tooltip and menu', () => {
      const { a } = actions()
      const t = createTray(ICONS, a, starting, menu())
      t.update(starting, menu(NOW + 3600_000))
      const tray = recorder.trays[0]
      expect(tray?.images).toHaveLength(1)
      expect(tray?.menus).toHaveLength(2)
      expect(tray?.menus[1]?.template.map((i) => i.label)).toContain('Resume notifications')
    })
  })

  describe('when a menu item is clicked', () => {
    it('runs the action of that id and nothing else', () => {
      const { a, ran } = actions()
      const template = menuTemplate(menu(), a)
      for (const item of template) (item.click as (() => void) | undefined)?.()
      expect(ran).toEqual(['open', 'check-now', 'check-clipboard', 'pause-1h', 'pause-tomorrow', 'quit'])
      expect(template[0]).toMatchObject({ enabled: false })
    })
  })
})

describe('showNotification', () => {
  const planned: PlannedNotification = {
    title: 'Security update for openssl (high)',
    body: 'Install the update: sudo apt install --only-upgrade openssl',
    urgency: 'normal',
    advisoryId: 'USN-7000-1',
    keys: ['USN-7000-1|fix-available'],
  }

  describe('when shown and clicked', () => {
    it('shows the planned title and body with the app icon and opens that advisory', () => {
      const opened: (string | undefined)[] = []
      showNotification(planned, ICONS, (id) => opened.push(id))
      const n = recorder.notifications[0]
      expect(n?.options).toMatchObject({
        title: planned.title,
        body: planned.body,
        icon: join(ICONS, 'lifeline.png'),
      })
      n?.emit('click')
      expect(opened).toEqual(['USN-7000-1'])
    })
  })
})
