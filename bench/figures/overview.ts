/** Stub. */
import type { BenchContext, FigureRow } from '../lib/report'

/** Stub. */
export async function overviewFigure(_ctx: BenchContext): Promise<FigureRow[]> {
  return []
}
