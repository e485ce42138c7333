// One jest run covers the whole workspace. Tiers are told apart by file name:
//   *.test.ts      unit tests (fast, no outside parts)
//   *.int.test.ts  integration tests against real engines (Docker, git, S3, databases)
//   e2e/**         the services as processes, driven over HTTP
// Workspace packages resolve to their TypeScript sources through the "@gibbon/source"
// export condition, so tests never need a build of their dependencies.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@gibbon/source', 'node', 'require', 'default'],
  },
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/e2e'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    // The web page's components (Preact's JSX), rendered to strings by their tests.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.(t|j)sx?$|\\.mjs$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  // Preact ships ES modules only: compiled like our sources for the page's component tests.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?preact[@/])'],
  // A relative dynamic import names the built file (`await import('./app.js')`, as node needs
  // in dist/); in the sources that is the .ts file of the same name.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30_000,
  // Suites start real servers, child processes and Docker streams, and each closes its own. If
  // one ever leaks a handle, the run must still end with its results rather than hang CI until
  // its time limit; `pnpm test --detectOpenHandles` finds the leak.
  forceExit: true,
};
