import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import type { TrayActionId, TrayMenuItem, TrayPresentation } from '../core/status/tray-model'

/** What each tray menu action does (the ids come from the pure `trayMenu` in main/core/status/tray-model.ts). */
export type TrayActions = Readonly<Record<TrayActionId, () => void>>

/** The tray, created once; `update` re-renders icon, tooltip and menu. */
export interface AppTray {
  update(p: TrayPresentation, menu: readonly TrayMenuItem[]): void
  destroy(): void
}

/** Maps the pure menu model to Electron's template. */
export function menuTemplate(
  items: readonly TrayMenuItem[],
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    switch (i.kind) {
      case 'separator':
        return { type: 'separator' }
      case 'status':
        return { label: i.label, enabled: false }
      case 'action':
        return { label: i.label, enabled: i.enabled, click: () => actions[i.id]() }
    }
  })
}

/**
 * Creates the tray. `iconsDir` holds `tray-<icon>.png` at 22 px with `@2x` variants (the sizes GNOME, KDE and
 * AppIndicator panels use); Electron picks the @2x file on HiDPI screens.
 */
export function createTray(
  iconsDir: string,
  actions: TrayActions,
  initial: TrayPresentation,
  initialMenu: readonly TrayMenuItem[],
): AppTray {
  const image = (p: TrayPresentation) => nativeImage.createFromPath(join(iconsDir, `tray-${p.icon}.png`))
  const tray = new Tray(image(initial))
  let lastIcon = initial.icon
  const render = (p: TrayPresentation, menu: readonly TrayMenuItem[]): void => {
    if (p.icon !== lastIcon) tray.setImage(image(p))
    lastIcon = p.icon
    tray.setToolTip(p.tooltip)
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(menu, actions)))
  }
  render(initial, initialMenu)
  tray.on('click', actions.open)
  return { update: render, destroy: () => tray.destroy() }
}
