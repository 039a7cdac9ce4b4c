/**
 * The check, in one place: running it over ports, the coverage record, the verdict and its exit code, the
 * freshness rule and which saved data still counts (docs/trust.md).
 */
export * from './checker'
export * from './coverage'
export * from './exit-code'
export * from './freshness'
export * from './mitigations'
export * from './predicates'
export * from './report'
export * from './trusted-state'
export * from './verdict'
