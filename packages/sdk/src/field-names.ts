/**
 * The fields `container()` and `action()` take, and the nearest one to a misspelt name, so a
 * `dependson` is refused saying "did you mean dependsOn" instead of being dropped in silence
 * (the job would run without its dependency).
 */
export const JOB_OPTION_FIELDS = ['dependsOn', 'timeout', 'retries', 'when', 'approval'] as const;

export const CONTAINER_FIELDS = [
  'image',
  'script',
  'command',
  'env',
  'workDir',
  'saveArtifacts',
  'restoreArtifacts',
  'caches',
  'resources',
  'network',
  'services',
  'expose',
  'arch',
  ...JOB_OPTION_FIELDS,
] as const;

/** The fields of a job in a declarative file: a container's, and `matrix` (`when` is a mapping there). */
export const DECLARATIVE_FIELDS = [...CONTAINER_FIELDS, 'matrix'] as const;

/** Edit distance of two names, letter case ignored (`dependson` is 0 from `dependsOn`). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, index) => index);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The known name nearest to `name`, if one is near enough to be what was meant. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.ceil(name.length / 2)) ? best : undefined;
}

/** "`dependson` is not a field of a container job; did you mean `dependsOn`?" */
export function unknownFieldMessage(
  field: string,
  kind: 'container' | 'action',
  known: readonly string[],
): string {
  const nearest = nearestName(field, known);
  const hint = nearest ? `did you mean \`${nearest}\`?` : `the fields are ${known.join(', ')}`;
  return `\`${field}\` is not a field of ${kind === 'container' ? 'a container job' : "an action job's options"}; ${hint}`;
}
