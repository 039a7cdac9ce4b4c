/**
 * Which tray icon file to load (pure: no electron import, unit-tested). scripts/make-icons.mjs draws every state at
 * each size Linux panels use, at 1x and 2x, each for its own pixel size (a 16 px icon is drawn at 16 px, not a 48 px
 * one scaled down, so the ring and glyph stay crisp).
 */
import type { TrayIcon } from '../core/status/tray-model'

/** Logical sizes drawn by scripts/make-icons.mjs (keep the two lists in sync; a unit test checks the files). */
export const TRAY_ICON_SIZES = [16, 22, 24, 32, 48] as const

/** One of the drawn logical sizes. */
export type TrayIconSize = (typeof TRAY_ICON_SIZES)[number]

/** Pixel sizes a panel draws at scale 1, by `XDG_CURRENT_DESKTOP` entry (lower case). */
const PANEL_SIZE: Readonly<Record<string, TrayIconSize>> = {
  // GNOME shows tray icons only through the AppIndicator extension (Ubuntu's default), at about 16 px.
  gnome: 16,
  'ubuntu:gnome': 16,
  budgie: 16,
  pantheon: 16,
  // KDE Plasma's system tray, Unity, MATE and LXQt panels use 22 px.
  kde: 22,
  unity: 22,
  mate: 22,
  lxqt: 22,
  // Xfce's and Cinnamon's default panels are taller.
  xfce: 24,
  'x-cinnamon': 24,
  cinnamon: 24,
}

/**
 * The logical size the panel of this desktop draws tray icons at. `XDG_CURRENT_DESKTOP` is a colon-separated list,
 * most specific first (Desktop Entry Specification, "OnlyShowIn"); unknown desktops get 22 px, the
 * StatusNotifierItem/AppIndicator norm.
 */
export function panelIconSize(desktop: string | undefined): TrayIconSize {
  const parts = (desktop ?? '').toLowerCase().split(':').filter(Boolean)
  const whole = parts.join(':')
  if (PANEL_SIZE[whole]) return PANEL_SIZE[whole]
  for (const p of parts) {
    const s = PANEL_SIZE[p]
    if (s) return s
  }
  return 22
}

/** A drawn file and its pixel size. */
export interface TrayIconChoice {
  readonly file: string
  readonly pixels: number
}

/**
 * The file to load for `icon` on a panel drawing `logical` px at `scaleFactor`: the smallest drawn file with at least
 * the pixels needed (a panel scales down cleanly, never up), the 1x file of a size winning a tie with a 2x one; the
 * largest file when even that is too small.
 */
export function trayIconFile(icon: TrayIcon, logical: number, scaleFactor: number): TrayIconChoice {
  const scale = Number.isFinite(scaleFactor) && scaleFactor > 0 ? scaleFactor : 1
  const needed = Math.ceil(logical * scale - 0.01)
  const candidates: TrayIconChoice[] = []
  for (const s of TRAY_ICON_SIZES) candidates.push({ file: `tray-${icon}-${s}.png`, pixels: s })
  for (const s of TRAY_ICON_SIZES) candidates.push({ file: `tray-${icon}-${s}@2x.png`, pixels: s * 2 })
  // Stable sort keeps the 1x files (pushed first) ahead of 2x ones of equal pixels.
  candidates.sort((a, b) => a.pixels - b.pixels)
  return candidates.find((c) => c.pixels >= needed) ?? (candidates.at(-1) as TrayIconChoice)
}
