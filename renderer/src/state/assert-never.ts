/** Exhaustiveness guard for switches over unions: a new member is a type error here. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}
