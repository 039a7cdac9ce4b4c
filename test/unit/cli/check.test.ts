/**
 * `lifeline check` in-process: usage errors (exit 64), the JSON report builder and the human renderer on check
 * parts. The end-to-end runs against real mirrors are in test/integration/check-cli.test.ts.
 */
import { describe, expect, it } from 'vitest'
import {
  buildCheckReport,
  checkCommand,
  exitCodeOf,
  renderCheckReport,
} from '../../../main/cli/commands/check'
import type { CliIo } from '../../../main/cli/io'
import { parseNowOption } from '../../../main/cli/options'
import type { CheckParts } from '../../../main/core/check'
import type { MirrorSuiteStatus } from '../../../main/core/model'

function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readStdin: async () => new Uint8Array(),
    env: { ...process.env, LIFELINE_DATA_DIR: undefined },
    cwd: process.cwd(),
  }
  return io
}

const NOW = Date.parse('2026-06-06T12:00:00Z')

const mirror = (
  state: MirrorSuiteStatus['state'],
  extra: Partial<MirrorSuiteStatus> = {},
): MirrorSuiteStatus => ({
  mirrorId: 'm',
  mirrorName: 'Mirror',
  url: 'http://127.0.0.1:1/ubuntu',
  suite: 'jammy-security',
  state,
  detail: state === 'ok' ? '' : 'The mirror could not be reached.',
  checkedAt: NOW,
  ...extra,
})

describe('checkCommand', () => {
  describe('when an option is unknown', () => {
    it('exits 64 and says which', async () => {
      const io = fakeIo()
      expect(await checkCommand.run(['--nope'], io)).toBe(64)
      expect(io.err).toContain('unknown option --nope')
      expect(io.out).toBe('')
    })
  })
  describe('when --now is not ISO-8601', () => {
    it('exits 64', async () => {
      const io = fakeIo()
      expect(await checkCommand.run(['--now', '06/06/2026'], io)).toBe(64)
      expect(io.err).toContain('--now must be an ISO-8601')
    })
  })
  describe('when a positional argument is given', () => {
    it('exits 64', async () => {
      const io = fakeIo()
      expect(await checkCommand.run(['extra'], io)).toBe(64)
      expect(io.err).toContain('unexpected argument "extra"')
    })
  })
  describe('when --now is not a real calendar date', () => {
    it('exits 64 instead of reading 2026-02-30 as 2 March', async () => {
      const io = fakeIo()
      expect(await checkCommand.run(['--now', '2026-02-30'], io)).toBe(64)
      expect(io.err).toBe('lifeline check: --now is not a real date or time: "2026-02-30"\n')
    })
  })
  describe('when --root is not a folder', () => {
    it('exits 64 naming it, before reading anything', async () => {
      const io = fakeIo()
      expect(await checkCommand.run(['--root', '/nonexistent-root', '--offline'], io)).toBe(64)
      expect(io.err).toBe('lifeline check: --root /nonexistent-root: no such folder\n')
      expect(io.out).toBe('')
    })
  })
  describe('when the config file is missing', () => {
    it('exits 64 with the config error', async () => {
      const io = fakeIo()
      const code = await checkCommand.run(
        ['--config', '/nonexistent/lifeline.json', '--offline', '--root', process.cwd()],
        io,
      )
      expect(code).toBe(64)
      expect(io.err).toContain('/nonexistent/lifeline.json')
    })
  })
})

describe('parseNowOption', () => {
  describe('when given a date or a date-time', () => {
    it('returns epoch ms (a bare date is midnight UTC)', () => {
      expect(parseNowOption('2026-06-06')).toBe(Date.parse('2026-06-06T00:00:00Z'))
      expect(parseNowOption('2026-06-06T12:00:00Z')).toBe(NOW)
    })
  })
})

describe('buildCheckReport', () => {
  describe('when no mirror verified and the machine was not assessed', () => {
    const parts: CheckParts = {
      mirrors: [mirror('unreachable', { code: 'NET_UNREACHABLE' })],
      channels: [],
      systemProblems: ['etc/os-release: missing'],
    }
    it('reports exit code 3, no release and null fields rather than missing ones', () => {
      const r = buildCheckReport(parts, NOW)
      expect(r.schema).toBe('lifeline.check/1')
      expect(r.exitCode).toBe(3)
      expect(exitCodeOf(parts)).toBe(3)
      expect(r.verdict).toBe('unknown')
      expect(r.release).toBeNull()
      expect(r.mirrors[0]).toMatchObject({
        status: 'unreachable',
        verified: false,
        code: 'NET_UNREACHABLE',
        releaseDate: null,
      })
      expect(r.verification).toMatchObject({ mirrorsVerified: 0, mirrorsTotal: 1, newestVerifiedAt: null })
      expect(r.systemProblems).toEqual(['etc/os-release: missing'])
    })
    it('renders what is wrong, what to do, what is verified and how old the data is', () => {
      const text = renderCheckReport(buildCheckReport(parts, NOW))
      for (const h of ['What to do:', 'How much is verified:', 'How old the data is:']) {
        expect(text).toContain(h)
      }
      // Nothing is known to be wrong: no empty "What is wrong:" heading.
      expect(text).not.toContain('What is wrong:')
      expect(text).toContain('nothing was ever verified on this computer')
      expect(text).toContain('Problems reading this computer:')
    })
  })

  describe('when advisory channels disagree on a fixed version', () => {
    it('prints a warning with every claim and keeps them in the JSON report', () => {
      const parts: CheckParts = {
        mirrors: [mirror('ok')],
        channels: [],
        assessment: {
          generatedAt: NOW,
          release: { id: 'ubuntu', codename: 'noble', versionId: '24.04' },
          advisories: [
            {
              id: 'USN-7000-1',
              title: 'expat vulnerabilities',
              cves: [],
              priority: 'medium',
              trust: 'signed',
              status: 'not-affected',
              packages: [],
              mitigations: [],
              steps: [],
              disagreements: [
                {
                  package: 'expat',
                  claims: [
                    { fixedVersion: '2.6.1-2ubuntu0.1', channels: ['feed'], signed: true },
                    { fixedVersion: '2.6.1-2ubuntu0.9', channels: ['osv'], signed: false },
                  ],
                },
              ],
            },
          ],
          otherReleases: 0,
          securityUpdates: [],
          kernel: {
            running: undefined,
            runningVersion: undefined,
            newestInstalled: undefined,
            newerInstalled: false,
            livepatchCves: [],
          },
          rebootRequired: false,
          mirrorsVerified: true,
          counts: {
            fixed: 0,
            livepatched: 0,
            'fixed-pending-reboot': 0,
            'fix-available': 0,
            'fix-on-other-mirror': 0,
            'no-fix-yet': 0,
            'not-affected': 1,
          },
          steps: [],
        },
      }
      const report = buildCheckReport(parts, NOW)
      expect(report.advisories[0]?.disagreements[0]?.claims).toHaveLength(2)
      expect(renderCheckReport(report)).toContain(
        'WARNING USN-7000-1: sources disagree on the fixed version of expat: 2.6.1-2ubuntu0.1 (feed, signed) vs 2.6.1-2ubuntu0.9 (osv)',
      )
    })
  })

  describe('when offline data was verified an hour ago', () => {
    it('gives its age', () => {
      const parts: CheckParts = {
        mirrors: [mirror('ok', { dataAgeMs: 3600_000, releaseDate: NOW - 2 * 3600_000 })],
        channels: [],
        offline: true,
      }
      const r = buildCheckReport(parts, NOW)
      expect(r.offline).toBe(true)
      expect(r.verification.newestVerifiedAt).toBe('2026-06-06T11:00:00.000Z')
      expect(r.verification.dataAgeSeconds).toBe(3600)
      expect(renderCheckReport(r)).toContain('newest verified data is 60 minutes old')
    })
  })

  describe('when the same parts are given twice', () => {
    it('builds identical reports', () => {
      const parts: CheckParts = { mirrors: [mirror('ok', { releaseDate: NOW - 1000 })], channels: [] }
      expect(JSON.stringify(buildCheckReport(parts, NOW))).toBe(JSON.stringify(buildCheckReport(parts, NOW)))
    })
  })
})

describe('renderCheckReport', () => {
  const content = 'Types: deb\nURIs: https://mirror.example.org/ubuntu\nSuites: noble-security\n'
  const base = buildCheckReport({ mirrors: [mirror('ok', { releaseDate: NOW - 1000 })], channels: [] }, NOW)
  describe('when a step writes a file with a here-document', () => {
    it('prints the content once, inside the command', () => {
      const text = renderCheckReport({
        ...base,
        steps: [
          {
            number: 1,
            kind: 'file',
            text: 'Add the source:',
            command: `sudo tee /etc/apt/sources.list.d/x.sources > /dev/null <<'EOF'\n${content}EOF`,
            file: { path: '/etc/apt/sources.list.d/x.sources', content },
          },
        ],
      })
      expect(text.split('URIs: https://mirror.example.org/ubuntu').length - 1).toBe(1)
      expect(text).not.toContain('file /etc/apt/sources.list.d/x.sources:')
    })
  })
  describe('when a step names a file without a command', () => {
    it('prints the file and its content', () => {
      const text = renderCheckReport({
        ...base,
        steps: [
          {
            number: 1,
            kind: 'file',
            text: 'Create:',
            command: null,
            file: { path: '/etc/x.sources', content },
          },
        ],
      })
      expect(text).toContain('       file /etc/x.sources:\n         Types: deb\n')
    })
  })
})
