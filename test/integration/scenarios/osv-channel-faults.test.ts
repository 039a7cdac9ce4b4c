/**
 * The outage lab's faults on the two OSV copies (the OSV.dev-style API and the GitHub-style raw host), through the
 * real channel readers over real sockets: each fault ends in its own code, the other copy is unaffected, and a
 * copy that disagrees on the fixed kernel turns Copy Fail into a conflict instead of a corroboration.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readGithubOsvChannel } from '../../../main/core/advisories/github-osv'
import { mergeAdvisories } from '../../../main/core/advisories/merge'
import { readOsvApiChannel, type ChannelQuery } from '../../../main/core/advisories/osv-api'
import { CoreError } from '../../../main/core/errors'
import { COPY_FAIL_UBUNTU_CVE, COPY_FAIL_USN, KERNEL_OLD } from '../../../main/lab/copy-fail'
import type { FaultName } from '../../../main/lab/faults'
import { startLab, type Lab } from '../../../main/lab/lab'
import { CONFLICTING_KERNEL } from '../../../main/lab/osv-hosts'
import { quickFetcher } from './lab-kit'

let lab: Lab
const query: ChannelQuery = {
  ecosystem: 'Ubuntu:24.04:LTS',
  sources: [
    { name: 'expat', version: '2.6.1-2' },
    { name: 'linux', version: KERNEL_OLD.version },
    { name: 'linux-meta', version: KERNEL_OLD.version },
  ],
  cves: [],
}
const readApi = () =>
  readOsvApiChannel(lab.url('osv-api'), {
    fetcher: quickFetcher,
    now: lab.now,
    channelId: 'lab-osv-api',
    query,
    previous: [],
  })
const readGithub = () =>
  readGithubOsvChannel(lab.url('github-osv'), {
    fetcher: quickFetcher,
    now: lab.now,
    channelId: 'lab-github-osv',
    ids: [COPY_FAIL_USN, COPY_FAIL_UBUNTU_CVE, 'USN-7000-1'],
    previous: [],
  })
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError)
    return (e as CoreError).code
  }
}

beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
})
afterEach(async () => {
  await lab.setScenario('calm')
})
afterAll(() => lab.close())

describe('the lab OSV copies', () => {
  describe('when both are up', () => {
    it('list and serve the same records; Copy Fail is corroborated', async () => {
      const api = await readApi()
      const gh = await readGithub()
      expect(api.ids).toEqual([COPY_FAIL_UBUNTU_CVE, 'USN-7000-1', COPY_FAIL_USN])
      expect(gh.advisories.map((a) => a.id).sort()).toEqual([
        COPY_FAIL_UBUNTU_CVE,
        'USN-7000-1',
        COPY_FAIL_USN,
      ])
      const merged = new Map(mergeAdvisories([api, gh]).map((a) => [a.id, a.trust]))
      expect(merged.get(COPY_FAIL_USN)).toBe('corroborated')
      expect(merged.get('USN-7000-1')).toBe('corroborated')
    })
  })

  const cases: readonly [FaultName, string, string][] = [
    ['down', 'NET_UNREACHABLE', 'NET_UNREACHABLE'],
    ['refused', 'NET_UNREACHABLE', 'NET_UNREACHABLE'],
    ['slow', 'NET_TOO_SLOW', 'NET_TOO_SLOW'],
    ['stalled', 'NET_TOO_SLOW', 'NET_TOO_SLOW'],
    ['oversized', 'NET_TOO_LARGE', 'NET_TOO_LARGE'],
    ['endless', 'NET_TOO_LARGE', 'NET_TOO_LARGE'],
    // A POST is never redirected; the raw host's GETs follow the fetcher's redirect rules.
    ['redirect-loop', 'NET_HTTP_STATUS', 'NET_REDIRECT_LIMIT'],
    ['redirect-to-http', 'NET_HTTP_STATUS', 'NET_BAD_URL'],
  ]
  for (const [fault, apiCode, githubCode] of cases) {
    describe(`when each copy is ${fault}`, () => {
      it(`fails with ${apiCode} / ${githubCode} and leaves the other copy readable`, async () => {
        await lab.setFault('osv-api', fault)
        expect(await codeOf(readApi())).toBe(apiCode)
        expect((await readGithub()).advisories).toHaveLength(3)
        await lab.setFault('osv-api', 'none')
        await lab.setFault('github-osv', fault)
        expect(await codeOf(readGithub())).toBe(githubCode)
        expect((await readApi()).advisories).toHaveLength(3)
      })
    })
  }

  describe('when the GitHub copy names another fixed kernel (conflicting-advisory)', () => {
    it('makes Copy Fail a conflict with both claims kept', async () => {
      const api = await readApi()
      await lab.setFault('github-osv', 'conflicting-advisory')
      const gh = await readGithub()
      const usn = mergeAdvisories([api, gh]).find((a) => a.id === COPY_FAIL_USN)
      expect(usn?.trust).toBe('conflict')
      expect(usn?.conflicts.flatMap((c) => c.claims.map((x) => x.fixedVersion))).toContain(CONFLICTING_KERNEL)
    })
  })
})
