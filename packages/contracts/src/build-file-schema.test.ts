import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';

// The JSON Schema editors use for `.gibbon/build.yaml` accepts the files the engine runs (the
// repository's examples, and the engine's declarative scenarios) and refuses what it refuses.
const repoRoot = join(__dirname, '..', '..', '..');
const schema = JSON.parse(
  readFileSync(join(__dirname, '..', 'schemas', 'build-file.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  schema,
);
const read = (path: string): unknown => parse(readFileSync(join(repoRoot, path), 'utf8'));
const errorsOf = (file: unknown) => (validate(file) ? [] : validate.errors);

describe('the build file JSON Schema', () => {
  it.each([
    'examples/monkeyci/.monkeyci/build.yaml',
    'examples/yaml-pipeline/.gibbon/build.yaml',
    'packages/engine/src/scenarios/monkeyci-blocked/.monkeyci/build.yml',
    'packages/engine/src/scenarios/monkeyci-yaml/.monkeyci/build.yaml',
    'packages/engine/src/scenarios/monkeyci-folder/.monkeyci/build.yaml',
    'packages/engine/src/scenarios/monkeyci-folder/.monkeyci/build.json',
    'packages/engine/src/scenarios/declarative-json/.gibbon/build.json',
    'packages/engine/src/scenarios/declarative-when-matrix/.gibbon/build.yaml',
    'packages/engine/src/scenarios/declarative-secrets/.gibbon/build.yaml',
  ])('accepts %s', (path) => {
    expect(errorsOf(read(path))).toEqual([]);
  });

  it.each([
    ['a misspelt field', [{ id: 'a', image: 'x', dependson: ['b'] }]],
    ['a job without an image', [{ id: 'a', script: ['true'] }]],
    ['an id with a slash', [{ id: 'a/b', image: 'x' }]],
    ['an unknown condition', [{ id: 'a', image: 'x', when: { branches: 'main' } }]],
    ['an unknown event', [{ id: 'a', image: 'x', when: { event: 'merge' } }]],
    ['a secret by a bad name', [{ id: 'a', image: 'x', env: { T: { secret: 'npm-token' } } }]],
    ['an empty matrix list', [{ id: 'a', image: 'x', matrix: { node: [] } }]],
    ['a network other than none', [{ id: 'a', image: 'x', network: 'host' }]],
    ['more than ten retries', [{ id: 'a', image: 'x', retries: 11 }]],
  ])('refuses %s', (_why, file) => {
    expect(validate(file)).toBe(false);
  });

  it('takes { jobs: [...] } as well as a list, and one job on its own', () => {
    expect(errorsOf({ jobs: [{ id: 'a', image: 'x', approval: true }] })).toEqual([]);
    expect(errorsOf({ id: 'a', image: 'x', blocked: true })).toEqual([]);
  });
});
