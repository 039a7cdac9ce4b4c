/**
 * Runs a short soak (bench/soak.ts `runSoak`) in its own process and prints its report as one JSON line, so the
 * soak's unhandled-rejection and timer counts see only its own work, not the rest of the bench.
 */
import { runSoak } from '../soak'

const report = await runSoak({ cycles: Number(process.env['SOAK_CYCLES'] ?? 100), seed: 1 })
process.stdout.write(`${JSON.stringify(report)}\n`)
