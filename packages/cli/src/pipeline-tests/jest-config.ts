/**
 * The jest configuration `gibbon test` generates for a user's repository: the tests are
 * `.gibbon/**\/*.test.ts`, TypeScript is compiled by @swc/jest, and `@gibbon/sdk` and
 * `@gibbon/sdk/testing` resolve to the copy this CLI runs with, so the user installs nothing.
 */

/** Where the pieces jest needs live, as this CLI resolves them. */
export interface JestLocations {
  /** `@gibbon/sdk`'s entry (its `src/index.ts` in the workspace, else `dist/index.js`). */
  readonly sdk: string;
  readonly sdkTesting: string;
  readonly swcJest: string;
}

/** The part of jest's configuration `gibbon test` sets (jest's `Config.InitialOptions`). */
export interface PipelineTestConfig {
  readonly rootDir: string;
  readonly roots: readonly string[];
  readonly testMatch: readonly string[];
  readonly testEnvironment: 'node';
  readonly testEnvironmentOptions?: { readonly customExportConditions: readonly string[] };
  readonly transform: Readonly<Record<string, [string, object]>>;
  readonly moduleNameMapper: Readonly<Record<string, string>>;
  readonly moduleFileExtensions: readonly string[];
  readonly watchman: false;
}

/** The `@gibbon/sdk` sources import workspace packages through this export condition. */
const sourceCondition = '@gibbon/source';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function where(): JestLocations {
  return {
    sdk: require.resolve('@gibbon/sdk'),
    sdkTesting: require.resolve('@gibbon/sdk/testing'),
    swcJest: require.resolve('@swc/jest'),
  };
}

export function pipelineTestConfig(dir: string, at: JestLocations): PipelineTestConfig {
  const fromSources = at.sdk.endsWith('.ts');
  return {
    rootDir: dir,
    roots: ['<rootDir>/.gibbon'],
    testMatch: ['<rootDir>/.gibbon/**/*.test.ts'],
    testEnvironment: 'node',
    // An SDK run from its sources finds its own dependencies' sources the same way.
    ...(fromSources
      ? {
          testEnvironmentOptions: {
            customExportConditions: [sourceCondition, 'node', 'require', 'default'],
          },
        }
      : {}),
    transform: {
      '^.+\\.(t|j)sx?$': [
        at.swcJest,
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper: {
      [`^${escapeRegExp('@gibbon/sdk')}$`]: at.sdk,
      [`^${escapeRegExp('@gibbon/sdk/testing')}$`]: at.sdkTesting,
      // TypeScript's node16 resolution wants `./build.js` for `./build.ts`; both styles work.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    // Watchman would index the whole repository; jest's own crawler reads only `roots`.
    watchman: false,
  };
}
