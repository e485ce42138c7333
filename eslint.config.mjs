// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import importRules from './packages/eslint-rules/import-rules.cjs';

// Who may import whom (docs/architecture.md holds the same table in prose).
// Each entry bans internal packages that a folder must not reach, and every folder
// is banned from deep imports into another package's src/ or dist/.
const internal = [
  '@gibbon/contracts',
  '@gibbon/web',
  '@gibbon/sdk',
  '@gibbon/storage',
  '@gibbon/logging',
  '@gibbon/engine',
  '@gibbon/cli',
  '@gibbon/test-kit',
  '@gibbon/public-api',
  '@gibbon/build-runner',
];
const deepImports = {
  group: ['@gibbon/*/src/*', '@gibbon/*/dist/*', '**/packages/*/src/*', '**/services/*/src/*'],
  message: "Import another package through its name (e.g. '@gibbon/contracts'), never its files.",
};
const crossFolder = {
  group: ['../../packages/**', '../../services/**', '../../../packages/**', '../../../services/**'],
  message: 'Reach another package through its name, never through a relative path.',
};

/**
 * The import rule of one folder: production code may import `allowed`; its tests and
 * benchmarks may also import the dev-only test-kit.
 * @param {string} folder @param {string[]} allowed @param {string} why
 */
function boundary(folder, allowed, why) {
  /** @param {string[]} permitted */
  const rule = (permitted) => ({
    'no-restricted-imports': [
      'error',
      {
        paths: internal
          .filter((name) => !permitted.includes(name))
          .map((name) => ({ name, message: why })),
        patterns: [deepImports, crossFolder],
      },
    ],
  });
  const tests = [`${folder}/**/*.test.ts`, `${folder}/test/**/*.ts`, `${folder}/bench/**/*.ts`];
  return [
    { files: [`${folder}/**/*.ts`], ignores: tests, rules: rule(allowed) },
    { files: tests, rules: rule([...allowed, '@gibbon/test-kit']) },
  ];
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      'packages/contracts/src/generated/**',
      '.gibbon-data/**',
      '**/.turbo/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-definitions': ['error', 'interface'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a string union instead of an enum.' },
        {
          selector: "NewExpression[callee.name='Error'][arguments.length=0]",
          message: 'Every error needs a message a user can act on.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // A relative import never leaves its package, in tests and benchmarks too
  // ('../../build-runner/src/config' from public-api is another package's file).
  {
    plugins: { gibbon: importRules.gibbonImports },
    rules: { 'gibbon/stay-in-package': 'error' },
  },
  // public-api is one folder per feature; from outside a feature, only its index is imported
  // (docs/architecture.md, "public-api by feature").
  {
    files: ['services/public-api/src/**/*.ts'],
    rules: {
      'gibbon/feature-index': [
        'error',
        {
          src: 'services/public-api/src',
          features: [
            'auth',
            'builds',
            'events',
            'github',
            'keys',
            'logs',
            'orgs',
            'params',
            'queue',
            'repos',
            'retention',
            'runners',
            'sessions',
            'statuses',
            'tokens',
            'webhooks',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Import boundaries (docs/architecture.md). Services never import each other.
  ...boundary('packages/contracts', [], 'contracts imports nothing internal.'),
  ...boundary('packages/eslint-rules', [], 'eslint-rules imports nothing internal.'),
  ...boundary('packages/sdk', ['@gibbon/contracts'], 'sdk imports only @gibbon/contracts.'),
  ...boundary('packages/storage', ['@gibbon/contracts'], 'storage imports only @gibbon/contracts.'),
  ...boundary('packages/logging', [], 'logging imports nothing internal.'),
  ...boundary(
    'packages/test-kit',
    ['@gibbon/contracts'],
    'test-kit imports only @gibbon/contracts.',
  ),
  ...boundary(
    'packages/engine',
    ['@gibbon/contracts', '@gibbon/storage', '@gibbon/sdk'],
    'engine may import contracts, storage and sdk; never a service or the cli.',
  ),
  ...boundary(
    'packages/cli',
    ['@gibbon/contracts', '@gibbon/storage', '@gibbon/sdk', '@gibbon/engine'],
    'cli may import contracts, storage, sdk and engine; never a service.',
  ),
  ...boundary(
    'services/public-api',
    ['@gibbon/contracts', '@gibbon/storage', '@gibbon/logging'],
    'public-api may import contracts, storage and logging; never another service.',
  ),
  ...boundary(
    'services/build-runner',
    ['@gibbon/contracts', '@gibbon/storage', '@gibbon/logging', '@gibbon/sdk', '@gibbon/engine'],
    'build-runner may import contracts, storage, logging, sdk and engine; never another service.',
  ),
  // The web page runs in a browser: it may import only the contracts' browser-safe entries.
  {
    files: ['packages/web/**/*.ts', 'packages/web/**/*.tsx'],
    // The build's config and the unit tests run in Node.
    ignores: ['packages/web/vite.config.ts', 'packages/web/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: internal
            .filter((name) => name !== '@gibbon/contracts')
            .map((name) => ({ name, message: 'web imports only @gibbon/contracts.' })),
          patterns: [
            deepImports,
            crossFolder,
            {
              group: ['@gibbon/contracts/documents', '@gibbon/contracts/validation', 'node:*'],
              message: 'The web page runs in a browser: no Node modules, no document loader.',
            },
          ],
        },
      ],
    },
  },
  ...boundary(
    'e2e',
    // All of e2e is test code: its helpers may start test-kit's parts themselves.
    ['@gibbon/contracts', '@gibbon/test-kit'],
    'e2e drives the services as processes over HTTP; it imports only contracts and test-kit.',
  ),
  prettier,
);
