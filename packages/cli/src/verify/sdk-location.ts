import { dirname, join } from 'node:path';

/** `@gibbon/sdk` as the CLI resolves it: its sources in the workspace, else its `.d.ts`. */
export function sdkEntry(): string {
  return require.resolve('@gibbon/sdk').replace(/\.js$/, '.d.ts');
}

/** The SDK package's folder (its `src/` or `dist/` holds the entry). */
export function sdkPackageRoot(): string {
  return join(dirname(sdkEntry()), '..');
}
