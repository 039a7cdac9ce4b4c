import { Menu, nativeImage, Tray } from 'electron'
import { join } from 'node:path'
import type { TrayPresentation } from '../core/status/tray-model'

/** What the tray menu can ask the app to do. */
export interface TrayActions {
  open(): void
  checkNow(): void
  quit(): void
}

/** The tray, created once; `update` re-renders icon, tooltip and menu. */
export interface AppTray {
  update(p: TrayPresentation): void
  destroy(): void
}

/** Creates the tray. `iconsDir` holds `tray-<icon>.png` (22 px, with @2x variants). */
export function createTray(iconsDir: string, actions: TrayActions, initial: TrayPresentation): AppTray {
  const image = (p: TrayPresentation) => nativeImage.createFromPath(join(iconsDir, `tray-${p.icon}.png`))
  const tray = new Tray(image(initial))
  const render = (p: TrayPresentation): void => {
    tray.setImage(image(p))
    tray.setToolTip(p.tooltip)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: p.statusLine, enabled: false },
        { type: 'separator' },
        { label: 'Open Lifeline', click: actions.open },
        { label: 'Check now', click: actions.checkNow },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit },
      ]),
    )
  }
  render(initial)
  tray.on('click', actions.open)
  return { update: render, destroy: () => tray.destroy() }
}
