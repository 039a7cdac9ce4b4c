import { chmod, cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../main/core/errors'
import { normalizeMirrorUrl, usedSources } from '../../../main/core/system/local-system'
import { readLocalSystem } from '../../../main/node/local-system'

const ROOT = fileURLToPath(new URL('../../fixtures/systems/jammy-kernel', import.meta.url))

describe('readLocalSystem', () => {
  describe('when reading the synthetic jammy root', () => {
    it('reads release, packages, sources, kernel and reboot state', async () => {
      const s = await readLocalSystem(ROOT, { livepatch: false })
      expect(s.os.codename).toBe('jammy')
      expect(s.nativeArch).toBe('amd64')
      expect(s.packages).toHaveLength(14)
      expect(s.kernel).toMatchObject({ release: '5.15.0-52-generic', packageVersion: '5.15.0-52.58' })
      expect(s.rebootRequired).toEqual({
        required: true,
        packages: ['linux-base', 'linux-image-5.15.0-53-generic'],
      })
      expect(s.livepatch).toBeUndefined()
      // sources.list first, then sources.list.d in name order; *.save files are not read (apt ignores them).
      expect(new Set(s.sources.map((e) => e.file))).toEqual(
        new Set(['/etc/apt/sources.list', '/etc/apt/sources.list.d/ubuntu-esm.sources']),
      )
      expect(s.sourceProblems.map((p) => `${p.file}:${p.line}:${p.code}`)).toEqual([
        '/etc/apt/sources.list:8:SYS_SOURCES_MISSING_FIELD',
        '/etc/apt/sources.list:9:SYS_SOURCES_BAD_TYPE',
        '/etc/apt/sources.list.d/ubuntu-esm.sources:15:SYS_SOURCES_MISSING_FIELD',
      ])
      const mirror = s.sources.find((e) => e.uri.startsWith('mirror+file:'))
      expect(mirror?.mirrorList).toEqual([
        'http://mirror.example.net/ubuntu',
        'https://archive.ubuntu.com/ubuntu',
      ])
    })
    it('lists the repositories apt uses: enabled deb entries, mirror lists expanded, no cdrom', async () => {
      const s = await readLocalSystem(ROOT, { livepatch: false })
      expect(usedSources(s).map((u) => `${normalizeMirrorUrl(u.url)} ${u.suite}`)).toEqual([
        'http://archive.ubuntu.com/ubuntu jammy',
        'http://archive.ubuntu.com/ubuntu jammy-updates',
        'http://security.ubuntu.com/ubuntu jammy-security',
        'http://mirror.example.net/ubuntu jammy-backports',
        'http://archive.ubuntu.com/ubuntu jammy-backports',
      ])
    })
  })

  describe('when given a temporary root', () => {
    let dir = ''
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lifeline-local-'))
    })
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('throws SYS_NOT_FOUND without a dpkg status', async () => {
      const root = join(dir, 'empty')
      await cp(join(ROOT, 'etc'), join(root, 'etc'), { recursive: true })
      const err = await readLocalSystem(root, { livepatch: false }).catch((e: unknown) => e)
      expect(isCoreError(err, 'SYS_NOT_FOUND')).toBe(true)
    })

    it('reports an oversized sources file and a symlink leaving the root, and reads the rest', async () => {
      const root = join(dir, 'odd')
      await cp(ROOT, root, { recursive: true })
      await writeFile(join(root, 'etc/apt/sources.list.d/huge.list'), '#'.repeat(1024 * 1024 + 1))
      await symlink('/etc/hostname', join(root, 'etc/apt/sources.list.d/escape.list'))
      const s = await readLocalSystem(root, { livepatch: false, unameRelease: '6.1.0-13-amd64' })
      const codes = s.problems.map((p) => `${p.file}:${p.code}`)
      expect(codes).toContain('etc/apt/sources.list.d/huge.list:SYS_TOO_LARGE')
      expect(codes).toContain('etc/apt/sources.list.d/escape.list:SYS_READ_FAILED')
      expect(s.packages).toHaveLength(14)
      // version_signature wins over uname when both exist.
      expect(s.kernel?.from).toBe('version_signature')
    })

    it('runs the Livepatch client and reads its JSON; a failing client gives no status', async () => {
      const ok = join(dir, 'livepatch-ok')
      await writeFile(
        ok,
        `#!/bin/sh\n[ "$1 $2 $3" = "status --format json" ] || exit 2\necho '{"status":[{"kernel":"5.15.0-52.58-generic","running":true,"livepatch":{"checkState":"checked","patchState":"applied","fixes":"* CVE-2022-2588"}}]}'\n`,
      )
      await chmod(ok, 0o755)
      const bad = join(dir, 'livepatch-bad')
      await writeFile(bad, '#!/bin/sh\necho "Machine is not enabled" >&2\nexit 1\n')
      await chmod(bad, 0o755)
      const s = await readLocalSystem(ROOT, { livepatch: ok })
      expect(s.livepatch?.kernels[0]?.fixes).toEqual(['CVE-2022-2588'])
      const s2 = await readLocalSystem(ROOT, { livepatch: bad })
      expect(s2.livepatch).toBeUndefined()
      const s3 = await readLocalSystem(ROOT, { livepatch: join(dir, 'does-not-exist') })
      expect(s3.livepatch).toBeUndefined()
    })
  })
})
