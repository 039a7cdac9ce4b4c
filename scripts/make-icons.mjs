// Regenerates the tray and app icons in resources/icons/ (committed). No image tools needed.
//
// Tray icons: `tray-<state>-<size>.png` and `@2x` at the sizes Linux panels draw (16: GNOME's AppIndicator
// extension; 22: KDE Plasma, Unity, MATE, LXQt; 24: Xfce, Cinnamon; 32 and 48: large or scaled panels), each drawn
// for its own pixel size rather than scaled. A disc in the state's colour inside a white ring inside a dark ring, so
// it stays legible on light panels (the dark ring) and dark ones (the white ring), with a glyph so the state does
// not depend on colour alone: calm = check, attention = down arrow (a fix to install), alarm = "!", grey = dash.
// main/electron/tray-icons.ts picks the file for the desktop and the screen's scale factor.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const STATES = { calm: [46, 160, 67], attention: [232, 145, 20], alarm: [214, 40, 40], grey: [128, 128, 136] }

function crc32(buf) {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5)
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function disc(size, rgb) {
  const c = size / 2
  const R = size * 0.46
  return png(size, (x, y) => {
    const d = Math.hypot(x - c, y - c)
    const alpha = Math.max(0, Math.min(1, R - d + 0.5))
    if (alpha === 0) return [0, 0, 0, 0]
    const ring = R - d
    const col = ring < size * 0.06 ? [32, 32, 36] : ring < size * 0.12 ? [255, 255, 255] : rgb
    return [...col, Math.round(alpha * 255)]
  })
}

/** Tray sizes in logical pixels (keep in sync with TRAY_ICON_SIZES in main/electron/tray-icons.ts). */
const TRAY_SIZES = [16, 22, 24, 32, 48]
const DARK = [32, 32, 36]
const WHITE = [255, 255, 255]

/** Distance from p to the segment a-b. */
function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)))
  return Math.hypot(px - ax - t * dx, py - ay - t * dy)
}

/** Glyph strokes in units of the fill radius, centred, y down: polylines and dots. */
const GLYPHS = {
  calm: {
    lines: [
      [
        [-0.5, 0.02],
        [-0.14, 0.38],
        [0.5, -0.34],
      ],
    ],
    dots: [],
  },
  attention: {
    lines: [
      [
        [0, -0.52],
        [0, 0.36],
      ],
      [
        [-0.38, 0.02],
        [0, 0.4],
        [0.38, 0.02],
      ],
    ],
    dots: [],
  },
  alarm: {
    lines: [
      [
        [0, -0.55],
        [0, 0.12],
      ],
    ],
    dots: [[0, 0.46]],
  },
  grey: {
    lines: [
      [
        [-0.45, 0],
        [0.45, 0],
      ],
    ],
    dots: [],
  },
}
/** Glyph colour with enough contrast on each fill (dark on amber, white on the others). */
const GLYPH_COLOUR = { calm: WHITE, attention: DARK, alarm: WHITE, grey: WHITE }

/** One tray icon: supersampled (4x4 per pixel) so every edge is antialiased at every size. */
function trayIcon(size, state) {
  const c = size / 2
  const R = size * 0.47
  const ring = Math.max(1, size * 0.06)
  const fillR = R - 2 * ring
  const half = Math.max(0.8, fillR * 0.14)
  const glyph = GLYPHS[state]
  const inGlyph = (x, y) => {
    const u = (x - c) / fillR
    const v = (y - c) / fillR
    for (const line of glyph.lines) {
      for (let i = 0; i + 1 < line.length; i++)
        if (segDist(u, v, line[i], line[i + 1]) * fillR <= half) return true
    }
    return glyph.dots.some(([dx, dy]) => Math.hypot(u - dx, v - dy) * fillR <= half * 1.25)
  }
  const N = 4
  return png(size, (x0, y0) => {
    let r = 0
    let g = 0
    let b = 0
    let a = 0
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const x = x0 - 0.5 + (i + 0.5) / N
        const y = y0 - 0.5 + (j + 0.5) / N
        const d = Math.hypot(x - c, y - c)
        let col
        if (d > R) continue
        else if (d > R - ring) col = DARK
        else if (d > fillR) col = WHITE
        else col = inGlyph(x, y) ? GLYPH_COLOUR[state] : STATES[state]
        r += col[0]
        g += col[1]
        b += col[2]
        a++
      }
    }
    if (a === 0) return [0, 0, 0, 0]
    return [Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((a / (N * N)) * 255)]
  })
}

for (const state of Object.keys(STATES)) {
  for (const size of TRAY_SIZES) {
    writeFileSync(`resources/icons/tray-${state}-${size}.png`, trayIcon(size, state))
    writeFileSync(`resources/icons/tray-${state}-${size}@2x.png`, trayIcon(size * 2, state))
  }
}
writeFileSync('resources/icons/lifeline.png', disc(512, [36, 87, 166]))
writeFileSync('renderer/public/favicon.png', disc(32, [36, 87, 166]))
console.log('icons written to resources/icons/')
