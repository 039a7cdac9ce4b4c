/**
 * The `code` of a Node system error (`ENOENT`, `EACCES`, …), read one way everywhere in `main/node`.
 */

/** The `code` of a Node system error, or '' for anything else. */
export function errnoCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : ''
}
