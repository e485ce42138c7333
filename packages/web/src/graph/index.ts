export { edgePath } from './edge-path';
export { defaultNodeHeight, defaultNodeWidth, layoutJobGraph } from './layout';
export type {
  GraphEdge,
  GraphJob,
  GraphLayout,
  GraphNode,
  GraphNodeSize,
  GraphPoint,
} from './layout';
export { waterfallBars } from './waterfall';
export type { TimedJob, WaterfallBar } from './waterfall';
