import type { PollSources, RunCheck } from '../../main/core/check'
import type { MirrorSuiteStatus } from '../../main/core/model'
import { createBackend, type Backend } from '../../main/node/backend'
import { systemClock, systemScheduler } from '../../main/node/clock'

/** A mirror status for tests. */
export function mirrorStatus(partial: Partial<MirrorSuiteStatus> = {}): MirrorSuiteStatus {
  return {
    mirrorId: 'm1',
    mirrorName: 'Test mirror',
    url: 'http://127.0.0.1:1/ubuntu',
    suite: 'noble-security',
    state: 'unreachable',
    detail: 'Could not connect.',
    code: 'NET_UNREACHABLE',
    checkedAt: Date.now(),
    ...partial,
  }
}

/** A backend over a given poll function, with the real clock; for host and handler tests. */
export function backendWith(poll: PollSources): Promise<Backend> {
  return createBackend({
    runCheck: mirrorsOnly(poll),
    clock: systemClock,
    scheduler: systemScheduler,
    appInfo: { name: 'Lifeline', version: '0.0.0-test', shell: 'browser' },
  })
}

/** A `RunCheck` over mirrors alone (no channels, no machine): for tests and minimal setups. */
export function mirrorsOnly(poll: PollSources): RunCheck {
  return async (now, progress) => ({ mirrors: await poll(now, progress), channels: [] })
}
