import { graphlib, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';

export interface GraphNode {
  readonly id: string;
  /** The node's top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphPoint {
  readonly x: number;
  readonly y: number;
}

/** From a dependency to the job that depends on it. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly GraphPoint[];
}

export interface GraphLayout {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly width: number;
  readonly height: number;
}

/** What the layout needs of a job: the API's `Job` fits. */
export interface GraphJob {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export interface GraphNodeSize {
  readonly nodeWidth?: number;
  readonly nodeHeight?: number;
}

export const defaultNodeWidth = 180;
export const defaultNodeHeight = 44;

const emptyLayout: GraphLayout = { nodes: [], edges: [], width: 0, height: 0 };

/**
 * Lays the jobs out left to right, each after the jobs it depends on (dagre, rankdir LR).
 * A dependency on a job not in the list is left out, and a job listed twice counts once.
 * A cycle is laid out anyway (dagre reverses an edge to break it; the edge still points from
 * the dependency). The same jobs in the same order always give the same layout.
 */
export function layoutJobGraph(jobs: readonly GraphJob[], size: GraphNodeSize = {}): GraphLayout {
  if (jobs.length === 0) return emptyLayout;
  const width = size.nodeWidth ?? defaultNodeWidth;
  const height = size.nodeHeight ?? defaultNodeHeight;
  const graph = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  graph.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 56, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const job of jobs) graph.setNode(job.id, { width, height });
  for (const job of jobs) {
    for (const dependency of job.dependsOn) {
      if (graph.hasNode(dependency) && dependency !== job.id) graph.setEdge(dependency, job.id);
    }
  }
  layout(graph);
  const nodes = graph.nodes().map((id) => {
    // dagre gives the centre, and sets it on every node it laid out.
    const { x = 0, y = 0 } = graph.node(id);
    return { id, x: x - width / 2, y: y - height / 2, width, height };
  });
  const edges = graph.edges().map(({ v, w }) => ({
    from: v,
    to: w,
    points: (graph.edge(v, w).points ?? []).map(({ x, y }) => ({ x, y })),
  }));
  const { width: graphWidth = 0, height: graphHeight = 0 } = graph.graph();
  return { nodes, edges, width: graphWidth, height: graphHeight };
}
