import { useMemo } from 'preact/hooks';
import { edgePath, layoutJobGraph } from '../graph';
import { durationBetween } from '../time';
import type { JobsViewProps } from './jobs-view';
import { statusWord } from './status';

const nodeWidth = 180;
const nodeHeight = 48;
const margin = 12;

/**
 * The build's jobs as a DAG, dependencies on the left (dagre's layout): each node shows the
 * job's status by colour and mark, its id and its duration; pressing it opens the job's log.
 */
export function JobGraph({ jobs, now, onOpen }: JobsViewProps) {
  const shape = jobs.map((job) => `${job.id}>${job.dependsOn.join(',')}`).join(';');
  // The layout depends on ids and edges only: status changes do not move the nodes.
  const layout = useMemo(() => layoutJobGraph(jobs, { nodeWidth, nodeHeight }), [shape]);
  const byId = new Map(jobs.map((job) => [job.id, job]));
  if (jobs.length === 0) return null;
  const width = layout.width + margin * 2;
  const height = layout.height + margin * 2;
  return (
    <div class="graph-scroll">
      <svg
        class="job-graph"
        width={width}
        height={height}
        viewBox={`${-margin} ${-margin} ${width} ${height}`}
        role="group"
        aria-label="Job graph"
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" class="graph-arrow" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path
            key={`${edge.from}->${edge.to}`}
            class="graph-edge"
            d={edgePath(edge.points)}
            marker-end="url(#arrow)"
          />
        ))}
        {layout.nodes.map((node) => {
          const job = byId.get(node.id);
          if (!job) return null;
          const duration = durationBetween(job.startedAt, job.finishedAt, now);
          const open = () => onOpen(job.id);
          return (
            <g
              key={node.id}
              class={`graph-node status-${job.status}`}
              transform={`translate(${node.x} ${node.y})`}
              role="link"
              tabIndex={0}
              aria-label={`Job ${job.id}: ${statusWord(job.status)}${duration ? `, ${duration}` : ''}. Open its log.`}
              onClick={open}
              onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && open()}
            >
              <rect width={node.width} height={node.height} rx={8} />
              <rect class="graph-node-stripe" width={6} height={node.height} rx={3} />
              <text x={16} y={20} class="graph-node-id">
                {job.id.length > 22 ? `${job.id.slice(0, 21)}…` : job.id}
              </text>
              <text x={16} y={37} class="graph-node-meta">
                {statusWord(job.status)}
                {duration ? ` · ${duration}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
