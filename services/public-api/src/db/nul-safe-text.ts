/**
 * Postgres `text` cannot hold NUL, and git facts from a delivery may contain it (a forger's
 * branch name, a commit message). Strings that may carry it are stored with a reversible
 * escape on both back ends (`\` → `\\`, NUL → `\0`), so one row format serves both and
 * every byte comes back as it was received.
 */
export function toStoredText(value: string): string;
export function toStoredText(value: string | null): string | null;
export function toStoredText(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/\\/g, '\\\\').replaceAll('\u0000', '\\0');
}

export function fromStoredText(value: string): string;
export function fromStoredText(value: string | null): string | null;
export function fromStoredText(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/\\(\\|0)/g, (_match, escaped: string) =>
    escaped === '0' ? '\u0000' : '\\',
  );
}
