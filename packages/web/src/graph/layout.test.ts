import { edgePath } from './edge-path';
import { layoutJobGraph, type GraphLayout, type GraphNode } from './layout';

function node(layout: GraphLayout, id: string): GraphNode {
  const found = layout.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`The layout has no node ${id}.`);
  return found;
}

function overlaps(a: GraphNode, b: GraphNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('layoutJobGraph', () => {
  it('lays out nothing for no jobs', () => {
    expect(layoutJobGraph([])).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });

  it('places a chain left to right, dependencies first, with 180×44 nodes by default', () => {
    const layout = layoutJobGraph([
      { id: 'c', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: [] },
    ]);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => node(layout, id));
    expect(a!.x).toBeLessThan(b!.x);
    expect(b!.x + b!.width).toBeLessThanOrEqual(c!.x);
    expect(a).toMatchObject({ width: 180, height: 44 });
    expect(layout.edges.map(({ from, to }) => `${from}->${to}`).sort()).toEqual(['a->b', 'b->c']);
  });

  it('keeps every node inside the reported size, top-left at (0, 0) or beyond', () => {
    const layout = layoutJobGraph([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['a'] },
    ]);
    for (const each of layout.nodes) {
      expect(each.x).toBeGreaterThanOrEqual(0);
      expect(each.y).toBeGreaterThanOrEqual(0);
      expect(each.x + each.width).toBeLessThanOrEqual(layout.width);
      expect(each.y + each.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('lays out a diamond: the two middle jobs in one column, apart, between the ends', () => {
    const layout = layoutJobGraph(
      [
        { id: 'build', dependsOn: [] },
        { id: 'lint', dependsOn: ['build'] },
        { id: 'test', dependsOn: ['build'] },
        { id: 'deploy', dependsOn: ['lint', 'test'] },
      ],
      { nodeWidth: 100, nodeHeight: 30 },
    );
    const [build, lint, test, deploy] = ['build', 'lint', 'test', 'deploy'].map((id) =>
      node(layout, id),
    );
    expect(lint!.x).toBe(test!.x);
    expect(overlaps(lint!, test!)).toBe(false);
    expect(build!.x).toBeLessThan(lint!.x);
    expect(deploy!.x).toBeGreaterThan(test!.x);
    expect(build).toMatchObject({ width: 100, height: 30 });
    expect(layout.edges).toHaveLength(4);
  });

  it('starts each edge at its dependency and ends it at the dependent job', () => {
    const layout = layoutJobGraph([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
    ]);
    const [edge] = layout.edges;
    const [a, b] = [node(layout, 'a'), node(layout, 'b')];
    const first = edge!.points[0]!;
    const last = edge!.points[edge!.points.length - 1]!;
    expect(first.x).toBeCloseTo(a.x + a.width);
    expect(last.x).toBeCloseTo(b.x);
  });

  it('ignores a dependency on a job not in the list, and on itself', () => {
    const layout = layoutJobGraph([
      { id: 'a', dependsOn: ['missing', 'a'] },
      { id: 'b', dependsOn: ['a', 'a', 'gone'] },
    ]);
    expect(layout.nodes.map((each) => each.id)).toEqual(['a', 'b']);
    expect(layout.edges.map(({ from, to }) => [from, to])).toEqual([['a', 'b']]);
  });

  it('lays out a cycle without failing, keeping both edges as declared', () => {
    const layout = layoutJobGraph([
      { id: 'a', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['a'] },
    ]);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges.map(({ from, to }) => `${from}->${to}`).sort()).toEqual(['a->b', 'b->a']);
    expect(layout.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it('gives the same layout for the same jobs', () => {
    const jobs = Array.from({ length: 30 }, (_, index) => ({
      id: `job-${index}`,
      dependsOn: index === 0 ? [] : [`job-${Math.floor(index / 3)}`, `job-${index - 1}`],
    }));
    expect(layoutJobGraph(jobs)).toEqual(layoutJobGraph(jobs.map((job) => ({ ...job }))));
  });
});

describe('edgePath', () => {
  it('draws nothing for no points, and a move for one', () => {
    expect(edgePath([])).toBe('');
    expect(edgePath([{ x: 1, y: 2 }])).toBe('M 1 2');
  });

  it('draws a line between two points', () => {
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10.123, y: 5 },
      ]),
    ).toBe('M 0 0 L 10.12 5');
  });

  it('curves through the inner points and ends on the last', () => {
    const path = edgePath([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 20, y: 10 },
    ]);
    expect(path).toBe('M 0 0 Q 10 0 10 5 Q 10 10 15 10 L 20 10');
  });
});
