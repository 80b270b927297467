/**
 * Everything {@link reconstructTiles} decides before the first run: the tiles
 * (their cores are what the sink receives), the parts of the cores that the
 * cost planner gives windows to, and the network runs. One pass over the
 * source finds the highlights' blocks first.
 */
import type { CancelSignal } from './cancellation';
import type { HdrcnnSettings } from './hdrcnn';
import { findHighlightBlocks, hotBounds, type HighlightBlocks } from './highlight-blocks';
import type { Rect, RgbImage } from './image';
import { planRuns, type NetworkRun, type RunPlan } from './run-plan';
import { planSeconds, type WindowCostModel } from './tile-cost';
import { fitWindow, planTiles, roundUpTo32, type Tile, type TileSettings } from './tile-plan';

/** A piece of one tile's core: what the planner gives a window. */
export interface Part {
  readonly tile: number;
  readonly rect: Rect;
}

export interface ReconstructionPlan {
  /** Cores partition the image. */
  readonly tiles: readonly Tile[];
  /** Pieces of the cores; only those with highlights are in a run. */
  readonly parts: readonly Part[];
  /** The network runs and the parts each writes; tiles with no part in a run are `x²` exactly. */
  readonly plan: RunPlan;
}

/** Part sides tried below the tile's own. */
const PART_SIDES = [32, 64, 128, 256];
/** The most parts with highlights the planner weighs (its work grows with their square). */
const MAX_HOT_PARTS = 1200;

function cutParts(tiles: readonly Tile[], side: number): Part[] {
  return tiles.flatMap(({ core }, tile) => {
    const parts: Part[] = [];
    for (let top = core.top; top < core.top + core.height; top += side) {
      for (let left = core.left; left < core.left + core.width; left += side) {
        const width = Math.min(side, core.left + core.width - left);
        parts.push({ tile, rect: { left, top, width, height: Math.min(side, core.top + core.height - top) } });
      }
    }
    return parts;
  });
}

/** Part cuttings the planner weighs: sides below the tile's with at most {@link MAX_HOT_PARTS} hot, and whole cores. */
function partCuttings(tiles: readonly Tile[], blocks: HighlightBlocks, tileSize: number): Part[][] {
  const cuttings = PART_SIDES.filter((side) => side < tileSize)
    .map((side) => cutParts(tiles, side))
    .filter((parts) => parts.filter((p) => hotBounds(blocks, p.rect)).length <= MAX_HOT_PARTS);
  return [...cuttings, tiles.map(({ core }, tile) => ({ tile, rect: core }))];
}

export interface PlanOptions {
  readonly settings: HdrcnnSettings;
  readonly tiles: TileSettings;
  readonly cost: WindowCostModel;
  readonly signal?: CancelSignal;
}

export async function planReconstruction(
  source: { width: number; height: number; read(rect: Rect): Promise<RgbImage> | RgbImage },
  options: PlanOptions,
): Promise<ReconstructionPlan> {
  const { width, height } = source;
  const tiles = planTiles(width, height, options.tiles);
  const blocks = await findHighlightBlocks(source, options.settings, options.signal);
  const { cost } = options;
  if (options.tiles.fitToHighlights === false) {
    // The fixed tiles (or the whole image): each tile with highlights on its own window.
    const parts = tiles.map(({ core }, tile) => ({ tile, rect: core }));
    const runs: NetworkRun[] = parts.flatMap((p, i) =>
      hotBounds(blocks, p.rect) ? [{ window: tiles[i].window, parts: [i] }] : [],
    );
    return {
      tiles,
      parts,
      plan: {
        runs,
        seconds: planSeconds(
          cost,
          runs.map((r) => r.window),
        ),
      },
    };
  }
  const padded = { left: 0, top: 0, width: roundUpTo32(width), height: roundUpTo32(height) };
  // Small parts fit irregular highlights closely, large ones merge into fewer shapes: the cheapest plan wins.
  return partCuttings(tiles, blocks, options.tiles.tileSize)
    .map((parts) => {
      const fitted = parts.map((p) => {
        const highlights = hotBounds(blocks, p.rect);
        return highlights && fitWindow({ window: padded, core: p.rect }, highlights, options.tiles.margin);
      });
      return { tiles, parts, plan: planRuns(fitted, padded, cost) };
    })
    .reduce((best, c) => (c.plan.seconds < best.plan.seconds ? c : best));
}
