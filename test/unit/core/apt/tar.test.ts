import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractTarMember, listTar } from '../../../../main/core/apt/tar'
import { createDecompressor } from '../../../../main/node/decompress'
import { codeOfSync, fixtureBytes } from './apt-fixtures'

/** Builds one 512-byte tar header (ustar unless `gnu`), with a correct checksum unless `badSum`. */
function header(
  name: string,
  size: number,
  opts: { type?: string; prefix?: string; gnu?: boolean; badSum?: boolean; base256?: boolean } = {},
): Uint8Array {
  const h = new Uint8Array(512)
  const put = (s: string, off: number) => h.set(new TextEncoder().encode(s), off)
  put(name, 0)
  put('0000644\0', 100)
  put('0000000\0', 108)
  put('0000000\0', 116)
  if (opts.base256 === true) {
    h[124] = 0x80
    let n = size
    for (let i = 135; i > 124; i--) {
      h[i] = n % 256
      n = Math.floor(n / 256)
    }
  } else put(size.toString(8).padStart(11, '0') + '\0', 124)
  put('15026451756\0', 136)
  put(opts.type ?? '0', 156)
  put(opts.gnu === true ? 'ustar  \0' : 'ustar\u000000', 257)
  if (opts.prefix !== undefined) put(opts.prefix, 345)
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0)
  put((sum + (opts.badSum === true ? 1 : 0)).toString(8).padStart(6, '0') + '\0 ', 148)
  return h
}

function entry(name: string, body: string, opts: Parameters<typeof header>[2] = {}): Uint8Array[] {
  const data = new TextEncoder().encode(body)
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512)
  padded.set(data)
  return [header(name, data.length, opts), padded]
}

function pax(records: Record<string, string>): Uint8Array[] {
  let body = ''
  for (const [k, v] of Object.entries(records)) {
    const rec = ` ${k}=${v}\n`
    let len = rec.length + 1
    while (String(len).length + rec.length !== len) len++
    body += `${len}${rec}`
  }
  return entry('PaxHeaders/x', body, { type: 'x' })
}

function tar(...parts: Uint8Array[][]): Uint8Array {
  const all = [...parts.flat(), new Uint8Array(1024)]
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of all) {
    out.set(p, off)
    off += p.length
  }
  return out
}

const text = (b: Uint8Array) => new TextDecoder().decode(b)

describe('extractTarMember', () => {
  describe('when reading a real .debian.tar.xz (GNU format)', () => {
    it('finds debian/changelog among the members', async () => {
      const t = await createDecompressor()(
        'xz',
        fixtureBytes('debian/source-evidence/sudo_1.9.13p3-1+deb12u2.debian.tar.xz'),
        1 << 24,
      )
      const names = listTar(t)
      expect(names).toContainEqual({ path: 'debian/', type: 'directory' })
      expect(names).toContainEqual({ path: 'debian/changelog', type: 'file' })
      const cl = extractTarMember(t, 'debian/changelog', 1 << 20)
      expect(cl.byteLength).toBe(59402)
      expect(text(cl).startsWith('sudo (1.9.13p3-1+deb12u2) bookworm-security; urgency=high')).toBe(true)
    })
  })

  describe('when names come from a ustar prefix, a pax header or a GNU long name', () => {
    it('finds the member by its full path', () => {
      const long = 'debian/' + 'd'.repeat(120) + '/changelog'
      expect(
        text(extractTarMember(tar(entry('changelog', 'A', { prefix: 'debian' })), 'debian/changelog', 9)),
      ).toBe('A')
      expect(text(extractTarMember(tar(pax({ path: long }), entry('short', 'B')), long, 9))).toBe('B')
      expect(
        text(
          extractTarMember(
            tar(
              entry('././@LongLink', long + '\0', { type: 'L', gnu: true }),
              entry('x', 'C', { gnu: true }),
            ),
            long,
            9,
          ),
        ),
      ).toBe('C')
      expect(text(extractTarMember(tar(entry('./debian/changelog', 'D')), 'debian/changelog', 9))).toBe('D')
      expect(
        text(extractTarMember(tar(entry('debian/changelog', 'E', { base256: true })), 'debian/changelog', 9)),
      ).toBe('E')
    })

    it('applies a pax size over the header size', () => {
      const t = tar(pax({ size: '3' }), [header('debian/changelog', 0), new Uint8Array(512).fill(0x41)])
      expect(text(extractTarMember(t, 'debian/changelog', 9))).toBe('AAA')
    })
  })

  describe('when the archive is hostile or broken', () => {
    it.each([
      [
        'a symlink named debian/changelog',
        tar(entry('debian/changelog', '', { type: '2' })),
        'APT_TAR_MEMBER_NOT_FOUND',
      ],
      [
        'a hard link named debian/changelog',
        tar(entry('debian/changelog', '', { type: '1' })),
        'APT_TAR_MEMBER_NOT_FOUND',
      ],
      ['no such member', tar(entry('debian/control', 'x')), 'APT_TAR_MEMBER_NOT_FOUND'],
      ['a bad header checksum', tar(entry('debian/changelog', 'x', { badSum: true })), 'APT_BAD_TAR'],
      ['a member running past the end', tar(entry('debian/changelog', 'x')).subarray(0, 512), 'APT_BAD_TAR'],
      ['a truncated header', tar(entry('a', 'x')).slice(0, 1024 + 100), 'APT_BAD_TAR'],
      ['a member over the cap', tar(entry('debian/changelog', 'x'.repeat(100))), 'APT_TOO_LARGE'],
      [
        'a malformed pax record',
        tar(entry('PaxHeaders/x', '99 path=x\n', { type: 'x' }), entry('a', 'b')),
        'APT_BAD_TAR',
      ],
      ['random bytes', new Uint8Array(2048).fill(7), 'APT_BAD_TAR'],
    ])('rejects %s', (_what, t, code) => {
      expect(codeOfSync(() => extractTarMember(t, 'debian/changelog', 50))).toBe(code)
    })
  })
})

describe('extractTarMember on arbitrary input', () => {
  describe('when headers are randomly corrupted', () => {
    it('throws only CoreErrors', () => {
      const good = tar(pax({ path: 'debian/changelog' }), entry('x', 'hello'), entry('debian/control', 'c'))
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 8 }), (edits) => {
          const t = good.slice()
          for (const [at, v] of edits) t[at] = v
          expect(codeOfSync(() => extractTarMember(t, 'debian/changelog', 1 << 20))).toMatch(
            /^(no error|APT_[A-Z_]+)$/,
          )
        }),
        { numRuns: 2000 },
      )
    })
  })
})
