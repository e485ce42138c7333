import type { Label, LabelFilterGroups } from '../domain';

function hasLabel(labels: readonly Label[], wanted: Label): boolean {
  return labels.some((label) => label.name === wanted.name && label.value === wanted.value);
}

/** OR between groups, AND within a group; no groups at all matches every repository. */
export function labelFiltersMatch(
  filters: LabelFilterGroups,
  repoLabels: readonly Label[],
): boolean {
  if (filters.length === 0) return true;
  return filters.some((group) => group.every((wanted) => hasLabel(repoLabels, wanted)));
}
