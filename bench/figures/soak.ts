/** Stub. */
import type { BenchContext, FigureRow } from '../lib/report'

/** Stub. */
export async function soakFigure(_ctx: BenchContext): Promise<FigureRow[]> {
  return []
}
