import { readFileSync } from 'node:fs';
import { DECLARATIVE_FIELDS } from '@gibbon/sdk';
import { describeProblem, MONKEYCI_FIELD_NAMES, parseDeclarative } from './declarative-parse';

describe('parseDeclarative', () => {
  it('reads MonkeyCI field names as the SDK’s, with where each job and field is', () => {
    const text = '- id: build\n  image: node:20\n  script: [make]\n  depends-on: [lint]\n';
    const parsed = parseDeclarative(text, '.monkeyci/build.yml');
    expect(parsed).toEqual({
      ok: true,
      jobs: [
        {
          id: 'build',
          // MonkeyCI's default timeout of a container job: 20 minutes.
          spec: { image: 'node:20', script: ['make'], dependsOn: ['lint'], timeout: 1200 },
          position: { line: 1, column: 3 },
          fieldPositions: {
            id: { line: 1, column: 3 },
            image: { line: 2, column: 3 },
            script: { line: 3, column: 3 },
            dependsOn: { line: 4, column: 3 },
          },
        },
      ],
    });
  });

  it('accepts { jobs: [...] } and JSON, where a repeated key keeps the last value', () => {
    const parsed = parseDeclarative(
      '{"jobs": [{"id": "a", "image": "x", "image": "y", "script": ["true"]}]}',
      '.gibbon/build.json',
    );
    expect(parsed.ok && parsed.jobs[0]?.spec).toEqual({ image: 'y', script: ['true'] });
  });

  it('puts secrets: [NAME] into env as { secret }, an env entry of the same name winning', () => {
    const text =
      '- id: a\n  image: x\n  script: [true]\n  secrets: [NPM_TOKEN, KEY]\n  env: { KEY: plain }\n';
    const parsed = parseDeclarative(text, '.gibbon/build.yaml');
    expect(parsed.ok && parsed.jobs[0]?.spec).toEqual({
      image: 'x',
      script: [true],
      env: { NPM_TOKEN: { secret: 'NPM_TOKEN' }, KEY: 'plain' },
    });
    const wrong = parseDeclarative('- id: a\n  image: x\n  secrets: NPM_TOKEN\n', 'b.yaml');
    expect(wrong).toEqual({
      ok: false,
      problems: [
        {
          kind: 'structure',
          message: 'secrets must be a list of parameter names (secrets: [NPM_TOKEN])',
          position: { line: 3, column: 3 },
        },
      ],
    });
  });

  it('refuses a misspelt field at its line and column, and MonkeyCI keys it cannot honour', () => {
    const text = '- id: deploy\n  image: x\n  script: [make]\n  dependson: [test]\n';
    expect(parseDeclarative(text, '.gibbon/build.yaml')).toEqual({
      ok: false,
      problems: [
        {
          kind: 'structure',
          message: '`dependson` is not a field of a container job; did you mean `dependsOn`?',
          position: { line: 4, column: 3 },
        },
      ],
    });
    const monkey = parseDeclarative(
      '- id: a\n  image: x\n  container/mounts: [/etc]\n',
      '.monkeyci/build.yml',
    );
    expect(!monkey.ok && describeProblem('b', monkey.problems[0]!)).toBe(
      'b:3:3: `container/mounts` (MonkeyCI) is not supported: a job sees its checkout and nothing else of the machine',
    );
  });

  it("maps MonkeyCI's expose, size, arch and container/ keys to the SDK's fields", () => {
    const text = [
      '- image: x',
      '  script: [serve]',
      '  expose: [8080]',
      '  size: 2',
      '  arch: arm',
      '- container/image: y',
      '  container/env: { A: b }',
      '  container/cmd: [node, serve.js]',
      '  container/args: [--port, "1"]',
      '  container/platform: linux/amd64',
      '',
    ].join('\n');
    const parsed = parseDeclarative(text, '.monkeyci/build.yaml', 3);
    expect(parsed.ok && parsed.jobs.map(({ id, spec }) => ({ id, spec }))).toEqual([
      {
        id: 'job-4',
        spec: {
          timeout: 1200,
          image: 'x',
          script: ['serve'],
          expose: [8080],
          resources: { memoryMb: 4096, cpus: 2 },
          arch: 'arm64',
        },
      },
      {
        id: 'job-5',
        spec: {
          timeout: 1200,
          image: 'y',
          env: { A: 'b' },
          command: ['node', 'serve.js', '--port', '1'],
          arch: 'amd64',
        },
      },
    ]);
    const timeouts = parseDeclarative(
      '- {id: a, image: x, timeout: 90500}\n- {id: b, image: x, timeout: 99999999}\n',
      '.monkeyci/build.yml',
    );
    // MonkeyCI's milliseconds, at most its 6 hours; in a .gibbon file timeout stays seconds.
    expect(timeouts.ok && timeouts.jobs.map((job) => job.spec.timeout)).toEqual([91, 21600]);
    const gibbon = parseDeclarative('- {id: a, image: x, timeout: 90}\n', '.gibbon/build.yml');
    expect(gibbon.ok && gibbon.jobs[0]?.spec.timeout).toBe(90);
    const twoWays = parseDeclarative('- id: a\n  image: x\n  size: 2\n  memory: 8\n', 'b.yml');
    expect(!twoWays.ok && describeProblem('b.yml', twoWays.problems[0]!)).toBe(
      'b.yml:3:3: give one of size, memory and cpus (MonkeyCI) or resources, not several',
    );
    const noId = parseDeclarative('- image: x\n  script: [make]\n', '.gibbon/build.yml');
    expect(!noId.ok && noId.problems[0]?.message).toBe('this job needs a string id');
  });

  it("reads approval: true, and MonkeyCI's blocked: true as the same manual approval", () => {
    const gibbon = parseDeclarative(
      '- id: a\n  image: x\n  approval: true\n',
      '.gibbon/build.yaml',
    );
    const monkey = parseDeclarative(
      '- id: a\n  image: x\n  blocked: true\n',
      '.monkeyci/build.yml',
    );
    for (const parsed of [gibbon, monkey]) {
      expect(parsed.ok && parsed.jobs[0]?.spec).toMatchObject({ image: 'x', approval: true });
    }
  });

  it("reads MonkeyCI's memory (GB) and cpus as resources, and refuses them beside resources", () => {
    const monkey = parseDeclarative('- id: a\n  image: x\n  memory: 2\n  cpus: 1.5\n', 'build.yml');
    expect(monkey.ok && monkey.jobs[0]?.spec).toEqual({
      image: 'x',
      resources: { memoryMb: 2048, cpus: 1.5 },
    });
    const both = parseDeclarative(
      '- id: a\n  image: x\n  memory: 2\n  resources: { cpus: 1 }\n',
      'build.yml',
    );
    expect(!both.ok && describeProblem('build.yml', both.problems[0]!)).toBe(
      'build.yml:3:3: give one of size, memory and cpus (MonkeyCI) or resources, not several',
    );
  });

  it('takes one job on its own, as MonkeyCI does', () => {
    const single = parseDeclarative('id: build\nimage: x\nscript: [make]\n', '.monkeyci/build.yml');
    expect(single.ok && single.jobs.map((job) => job.id)).toEqual(['build']);
  });

  it('gives a syntax error its line and column', () => {
    const parsed = parseDeclarative('jobs:\n  - id: a\n    script: [echo\n', '.gibbon/build.yaml');
    expect(parsed.ok).toBe(false);
    const problem = !parsed.ok ? parsed.problems[0] : undefined;
    expect(problem?.kind).toBe('syntax');
    expect(problem?.position?.line).toBeGreaterThan(1);
    expect(describeProblem('.gibbon/build.yaml', problem!)).toMatch(
      /^\.gibbon\/build\.yaml:\d+:\d+: /,
    );
  });

  it('names every job without a string id, and a file that is not a list', () => {
    const parsed = parseDeclarative('- image: x\n- id: 3\n  image: y\n- id: ok\n', 'build.yml');
    expect(!parsed.ok && parsed.problems.map((p) => describeProblem('build.yml', p))).toEqual([
      'build.yml:1:3: this job needs a string id',
      'build.yml:2:3: this job needs a string id',
    ]);
    const notList = parseDeclarative('just: text\n', 'build.yml');
    expect(!notList.ok && notList.problems[0]?.message).toMatch(
      /expected a list of container jobs/,
    );
  });
});

// The published JSON Schema of build files (`@gibbon/contracts/schemas/build-file.schema.json`)
// names exactly the fields this reader takes, so an editor completes what a run accepts.
describe('the build file JSON Schema and the reader', () => {
  it('name the same job fields', () => {
    const path = require.resolve('@gibbon/contracts/schemas/build-file.schema.json');
    const schema = JSON.parse(readFileSync(path, 'utf8')) as {
      $defs: { job: { properties: Record<string, unknown> } };
    };
    const read = [
      'id',
      'secrets',
      'memory',
      'cpus',
      'size',
      'container/platform',
      'container/args',
      ...DECLARATIVE_FIELDS,
      ...Object.keys(MONKEYCI_FIELD_NAMES),
    ];
    expect(Object.keys(schema.$defs.job.properties).sort()).toEqual([...new Set(read)].sort());
  });
});
