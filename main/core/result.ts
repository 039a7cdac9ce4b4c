import { CoreError } from './errors'

/** An expected failure as a value: what crosses the API boundary instead of a thrown error. */
export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: C; readonly message: string }

/** Wraps a value. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value }
}

/** Wraps a failure. */
export function fail<C extends string>(code: C, message: string): Result<never, C> {
  return { ok: false, code, message }
}

/** Runs `fn`; a CoreError becomes a failure value, anything else (a bug) is rethrown. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn())
  } catch (e) {
    if (e instanceof CoreError) return fail(e.code, e.message)
    throw e
  }
}
