import type { LogLine } from './types';

/** The numbers of the lines whose text contains `query`, ignoring case; none for ''. */
export function searchLines(lines: readonly LogLine[], query: string): number[] {
  if (query === '') return [];
  const needle = query.toLowerCase();
  const found: number[] = [];
  for (const line of lines) {
    if (line.plain.toLowerCase().includes(needle)) found.push(line.number);
  }
  return found;
}

/** A line link's hash: `#L120` → 120. Anything else (`#L0`, `#L12abc`, `#L`) → undefined. */
export function parseLineAnchor(hash: string): number | undefined {
  const match = /^#L([1-9]\d*)$/.exec(hash);
  if (!match) return undefined;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) ? number : undefined;
}
