const MAX_QUOTED_LENGTH = 100;

/**
 * A payload string as it may appear in a reason shown to users: JSON-quoted, so newlines, ANSI
 * escapes and NUL show as `\n`, `\u001b`, `\u0000` instead of acting on a terminal or log, and
 * cut to 100 characters, so a 4 KB branch name does not become a 4 KB reason.
 */
export function quoted(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return JSON.stringify(shown);
}
