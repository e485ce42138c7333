const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * A duration as a person reads it: `4s`, `1m 5s`, `1h 2m` (two units at most; seconds are
 * dropped once there are hours). Rounded down, so a running timer never shows a second
 * that has not passed. Negative or not a number: `0s`.
 */
export function formatDuration(ms: number): string {
  if (!(ms > 0)) return '0s';
  if (ms < minute) return `${Math.floor(ms / second)}s`;
  if (ms < hour) return `${Math.floor(ms / minute)}m ${Math.floor((ms % minute) / second)}s`;
  return `${Math.floor(ms / hour)}h ${Math.floor((ms % hour) / minute)}m`;
}

/**
 * How long something took, or has taken so far (`end` null: still going, measured to `now`).
 * Undefined when it has not started, or when a timestamp is not a date.
 */
export function durationBetween(
  start: string | null,
  end: string | null,
  now: number,
): string | undefined {
  if (start === null) return undefined;
  const from = Date.parse(start);
  const to = end === null ? now : Date.parse(end);
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return formatDuration(to - from);
}
