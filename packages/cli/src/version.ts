import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The CLI's version, from its package.json: one folder above `src/` and `dist/` alike, in the
 * workspace and in an installed copy. Read when asked, so starting a command reads nothing.
 */
export function cliVersion(): string {
  const manifest = readFileSync(join(__dirname, '..', 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}
