/** Stub. */
import type { BenchContext, FigureRow } from '../lib/report'

/** Stub. */
export async function checkOfflineFigure(_ctx: BenchContext): Promise<FigureRow[]> {
  return []
}
