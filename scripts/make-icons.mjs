// Regenerates the tray and app icons in resources/icons/ (committed). A filled disc in the state's colour with a
// light inner ring and a dark outer ring, so it stays legible on light and dark panels. No image tools needed.
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

for (const [name, rgb] of Object.entries(STATES)) {
  writeFileSync(`resources/icons/tray-${name}.png`, disc(22, rgb))
  writeFileSync(`resources/icons/tray-${name}@2x.png`, disc(44, rgb))
}
writeFileSync('resources/icons/lifeline.png', disc(512, [36, 87, 166]))
writeFileSync('renderer/public/favicon.png', disc(32, [36, 87, 166]))
console.log('icons written to resources/icons/')
