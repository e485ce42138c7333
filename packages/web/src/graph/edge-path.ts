import type { GraphPoint } from './layout';

function format(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function at({ x, y }: GraphPoint): string {
  return `${format(x)} ${format(y)}`;
}

/**
 * An SVG path `d` through the points: a line for two, and for more a smooth curve that bends
 * at each inner point (a quadratic curve to the middle of each segment), so dagre's routed
 * edges read as one stroke. Begins and ends exactly on the first and last point, where the
 * arrow marker sits. No points give '' (nothing drawn).
 */
export function edgePath(points: readonly GraphPoint[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const last = rest.pop();
  if (!last) return `M ${at(first)}`;
  const parts = [`M ${at(first)}`];
  for (const [index, point] of rest.entries()) {
    const next = rest[index + 1] ?? last;
    parts.push(`Q ${at(point)} ${at({ x: (point.x + next.x) / 2, y: (point.y + next.y) / 2 })}`);
  }
  parts.push(`L ${at(last)}`);
  return parts.join(' ');
}
