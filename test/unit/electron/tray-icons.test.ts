import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { TrayIcon } from '../../../main/core/status/tray-model'
import { panelIconSize, TRAY_ICON_SIZES, trayIconFile } from '../../../main/electron/tray-icons'

const ICONS = fileURLToPath(new URL('../../../resources/icons/', import.meta.url))
const STATES: readonly TrayIcon[] = ['calm', 'attention', 'alarm', 'grey']

/** Decodes the RGBA, 8-bit, unfiltered, non-interlaced PNGs scripts/make-icons.mjs writes. */
function decode(file: string): { width: number; height: number; rgba: Uint8Array } {
  const b = readFileSync(file)
  const width = b.readUInt32BE(16)
  const height = b.readUInt32BE(20)
  expect([b[24], b[25]], `${file}: 8-bit RGBA`).toEqual([8, 6])
  const idat: Buffer[] = []
  for (let i = 8; i < b.length;) {
    const len = b.readUInt32BE(i)
    if (b.toString('latin1', i + 4, i + 8) === 'IDAT') idat.push(b.subarray(i + 8, i + 8 + len))
    i += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const rgba = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)], 'filter type 0').toBe(0)
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4)
  }
  return { width, height, rgba }
}

/** Relative luminance (WCAG 2.x) of an sRGB colour. */
function luminance(r: number, g: number, b: number): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

describe('panelIconSize', () => {
  describe('when XDG_CURRENT_DESKTOP names a known desktop', () => {
    it.each([
      ['ubuntu:GNOME', 16],
      ['GNOME', 16],
      ['KDE', 22],
      ['Unity', 22],
      ['XFCE', 24],
      ['X-Cinnamon', 24],
      ['MATE', 22],
    ])('gives %s %i px', (desktop, size) => {
      expect(panelIconSize(desktop)).toBe(size)
    })
  })
  describe('when it is unset or unknown', () => {
    it('uses 22 px, the AppIndicator norm', () => {
      expect(panelIconSize(undefined)).toBe(22)
      expect(panelIconSize('')).toBe(22)
      expect(panelIconSize('Hyprland')).toBe(22)
    })
  })
})

describe('trayIconFile', () => {
  describe('when a drawn size matches the pixels needed', () => {
    it('takes it, the 1x drawing winning a tie', () => {
      expect(trayIconFile('calm', 22, 1)).toEqual({ file: 'tray-calm-22.png', pixels: 22 })
      expect(trayIconFile('alarm', 16, 2)).toEqual({ file: 'tray-alarm-32.png', pixels: 32 })
      expect(trayIconFile('grey', 22, 2)).toEqual({ file: 'tray-grey-22@2x.png', pixels: 44 })
      expect(trayIconFile('attention', 24, 2)).toEqual({ file: 'tray-attention-48.png', pixels: 48 })
    })
  })
  describe('when the scale is fractional', () => {
    it('takes the smallest drawing at least as large (panels scale down cleanly, never up)', () => {
      expect(trayIconFile('calm', 22, 1.25).pixels).toBe(32)
      expect(trayIconFile('calm', 16, 1.5).pixels).toBe(24)
    })
  })
  describe('when nothing drawn is large enough or the scale is nonsense', () => {
    it('takes the largest drawing, or treats the scale as 1', () => {
      expect(trayIconFile('calm', 48, 3)).toEqual({ file: 'tray-calm-48@2x.png', pixels: 96 })
      expect(trayIconFile('calm', 22, Number.NaN).pixels).toBe(22)
      expect(trayIconFile('calm', 22, 0).pixels).toBe(22)
    })
  })
})

describe('resources/icons (scripts/make-icons.mjs)', () => {
  const files = STATES.flatMap((s) =>
    TRAY_ICON_SIZES.flatMap((n) => [
      { file: `tray-${s}-${n}.png`, px: n },
      { file: `tray-${s}-${n}@2x.png`, px: 2 * n },
    ]),
  )

  it.each(files)('has $file drawn at $px px', ({ file, px }) => {
    const { width, height } = decode(join(ICONS, file))
    expect([width, height]).toEqual([px, px])
  })

  describe('when shown on a light or a dark panel', () => {
    it.each(files)('$file has an opaque dark edge and an opaque white ring', ({ file }) => {
      const { rgba } = decode(join(ICONS, file))
      let dark = 0
      let light = 0
      for (let i = 0; i < rgba.length; i += 4) {
        if ((rgba[i + 3] ?? 0) < 250) continue
        const l = luminance(rgba[i] ?? 0, rgba[i + 1] ?? 0, rgba[i + 2] ?? 0)
        // Contrast ≥ 3:1 (WCAG non-text) against a white panel (dark) and a black one (light).
        if ((1 + 0.05) / (l + 0.05) >= 3 && l < 0.05) dark++
        if ((l + 0.05) / 0.05 >= 3 && l > 0.8) light++
      }
      expect(dark, 'dark pixels').toBeGreaterThan(0)
      expect(light, 'light pixels').toBeGreaterThan(0)
    })
  })

  it('gives the states different glyphs, not colour alone', () => {
    const mask = (s: TrayIcon) => {
      const { rgba } = decode(join(ICONS, `tray-${s}-48@2x.png`))
      const out: number[] = []
      for (let i = 0; i < rgba.length; i += 4) {
        out.push(luminance(rgba[i] ?? 0, rgba[i + 1] ?? 0, rgba[i + 2] ?? 0) > 0.8 ? 1 : 0)
      }
      return out.join('')
    }
    const masks = STATES.map(mask)
    expect(new Set(masks).size).toBe(STATES.length)
  })
})
