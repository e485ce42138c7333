import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Linter } from 'eslint';

// The repository's own import rules (import-rules.cjs), run by ESLint's linter on probe sources
// placed, by file name, where the rules look at them.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rules module is CommonJS, shared with eslint.config.mjs.
const { gibbonImports } = require('../import-rules.cjs') as {
  gibbonImports: NonNullable<Linter.Config['plugins']>[string];
};

const repoRoot = resolve(__dirname, '../../..');
const src = 'services/public-api/src';
const features = ['builds', 'events', 'orgs'];

function problemsOf(file: string, code: string): string[] {
  const linter = new Linter({ cwd: repoRoot });
  const config: Linter.Config[] = [
    {
      files: ['**/*'],
      languageOptions: { sourceType: 'module', ecmaVersion: 2022 },
      plugins: { gibbon: gibbonImports },
      rules: {
        'gibbon/stay-in-package': 'error',
        'gibbon/feature-index': ['error', { src, features }],
      },
    },
  ];
  return linter
    .verify(code, config, { filename: join(repoRoot, file) })
    .map((message) => `${message.ruleId}: ${message.message}`);
}

describe('import rules', () => {
  it("refuse a relative import into another package's files, from tests too", () => {
    expect(
      problemsOf(
        'services/public-api/test/probe.js',
        "import { loadConfig } from '../../build-runner/src/config';",
      ),
    ).toEqual([
      "gibbon/stay-in-package: '../../build-runner/src/config' leaves this package (services/public-api); import another package through its name (e.g. '@gibbon/contracts'), never its files.",
    ]);
    expect(
      problemsOf('packages/cli/bench/probe.js', "const engine = require('../../engine/src');"),
    ).toHaveLength(1);
    expect(
      problemsOf('packages/cli/bench/probe.js', "import('../../../packages/sdk/src/index');"),
    ).toHaveLength(1);
  });

  it('let a relative import stay inside its package', () => {
    expect(
      problemsOf('services/public-api/test/probe.js', "import { startTestApp } from './harness';"),
    ).toEqual([]);
    expect(
      problemsOf('services/public-api/test/probe.js', "import { x } from '../src/db/database';"),
    ).toEqual([]);
  });

  it("refuse an import of another feature's file, and name its index", () => {
    expect(
      problemsOf(`${src}/orgs/probe.js`, "import { BuildHub } from '../events/build-hub';"),
    ).toEqual([
      "gibbon/feature-index: '../events/build-hub' reaches into the events feature; import it through its index ('../events') and export what is needed there.",
    ]);
    expect(
      problemsOf(`${src}/server.js`, "export { BuildsService } from './builds/builds.service';"),
    ).toHaveLength(1);
  });

  it("let a feature import its own files, another feature's index, and shared folders", () => {
    const imports = [
      "import { BuildHub } from '../events';",
      "import { BuildHub as Hub } from '../events/index';",
      "import { x } from './orgs.repository';",
      "import { y } from '../db/database';",
    ].join('\n');
    expect(problemsOf(`${src}/orgs/probe.js`, imports)).toEqual([]);
  });

  it('are switched on by the repository config where they belong', () => {
    // The config is an ES module, which jest's module system can't load: ask ESLint itself.
    const eslintBin = join(repoRoot, 'node_modules/eslint/bin/eslint.js');
    const rulesOf = (file: string) =>
      (
        JSON.parse(
          execFileSync(process.execPath, [eslintBin, '--print-config', file], {
            cwd: repoRoot,
            encoding: 'utf8',
          }),
        ) as { rules: Record<string, unknown> }
      ).rules;
    const inSrc = rulesOf(`${src}/orgs/orgs.service.ts`);
    expect(inSrc['gibbon/feature-index']).toBeDefined();
    expect(inSrc['gibbon/stay-in-package']).toBeDefined();
    expect(rulesOf('services/build-runner/test/config.test.ts')['gibbon/stay-in-package']).toEqual([
      2,
    ]);
  });
});
