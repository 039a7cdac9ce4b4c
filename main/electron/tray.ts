import { Menu, nativeImage, screen, Tray, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import type { TrayActionId, TrayMenuItem, TrayPresentation } from '../core/status/tray-model'
import { panelIconSize, trayIconFile } from './tray-icons'

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
 * Creates the tray. `iconsDir` holds `tray-<icon>-<size>.png` and `@2x` for every size Linux panels use; the file is
 * picked for this desktop's panel (`XDG_CURRENT_DESKTOP`) and the primary display's scale factor (tray-icons.ts).
 * The path is given to Electron as is: on Linux the image is handed to the panel as a file, which scales it.
 */
export function createTray(
  iconsDir: string,
  actions: TrayActions,
  initial: TrayPresentation,
  initialMenu: readonly TrayMenuItem[],
): AppTray {
  const logical = panelIconSize(process.env.XDG_CURRENT_DESKTOP)
  const image = (p: TrayPresentation) =>
    nativeImage.createFromPath(
      join(iconsDir, trayIconFile(p.icon, logical, screen.getPrimaryDisplay().scaleFactor).file),
    )
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
