import type { Job } from '@gibbon/sdk';

/** A job as `gibbon verify` shows it; `runs: false` when its `when` is false for the context. */
export interface VerifiedJob {
  job: Job;
  runs: boolean;
}

function label({ job, runs }: VerifiedJob, parent: string | undefined): string {
  const kind = job.kind === 'container' ? `container ${job.image}` : 'action';
  const others = (job.dependsOn ?? []).filter((dep) => dep !== parent);
  const after = others.length > 0 ? `  (also needs ${others.join(', ')})` : '';
  const skipped = runs ? '' : '  [skipped: when() is false for this context]';
  return `${job.id}  ${kind}${after}${skipped}`;
}

/**
 * The jobs as a dependency tree: jobs without dependencies at the top, each other job under
 * its first dependency (further ones named beside it), in the order the script declared them.
 */
export function renderTree(jobs: readonly VerifiedJob[]): string[] {
  const children = new Map<string | undefined, VerifiedJob[]>();
  for (const entry of jobs) {
    const parent = entry.job.dependsOn?.[0];
    children.set(parent, [...(children.get(parent) ?? []), entry]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string): void => {
    const list = children.get(parent) ?? [];
    list.forEach((entry, index) => {
      const last = index === list.length - 1;
      const branch = parent === undefined ? '' : last ? '└── ' : '├── ';
      lines.push(`${indent}${branch}${label(entry, parent)}`);
      const next = parent === undefined ? indent : `${indent}${last ? '    ' : '│   '}`;
      walk(entry.job.id, next);
    });
  };
  walk(undefined, '');
  return lines;
}
