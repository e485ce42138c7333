/**
 * The build context a pipeline test resolves against: a trusted push of a fake commit to
 * `main` of `acme/app`, changed by nobody, with whatever the test says merged over it. The
 * shortcuts (`branch`, `tag`, `changedFiles`, `env`, …) cover what pipelines usually branch
 * on; `build`, `repo` and `git` take any other field.
 */
import type { BuildContext } from '../context';

type Mutable<T> = { -readonly [Key in keyof T]: T[Key] };

/** What a test may say about the build; everything left out gets a sensible default. */
export interface TestContextOptions {
  /** The branch built (default `main`); ignored when `tag` is given. */
  readonly branch?: string;
  /** Build a tag instead of a branch: `git.branch` becomes null, `git.ref` `refs/tags/…`. */
  readonly tag?: string;
  readonly changedFiles?: readonly string[];
  /** Build-level variables the script reads as `ctx.env.NAME`. */
  readonly env?: Readonly<Record<string, string>>;
  readonly commit?: string;
  readonly message?: string;
  /** False for a pull request from a fork (the runner then gives it no parameters). */
  readonly trusted?: boolean;
  /** The build's inputs as the pipeline sees them (`ctx.inputs`; default none). */
  readonly inputs?: BuildContext['inputs'];
  readonly build?: Partial<BuildContext['build']>;
  readonly repo?: Partial<BuildContext['repo']>;
  readonly git?: Partial<BuildContext['git']>;
}

export const DEFAULT_TEST_COMMIT = '0000000000000000000000000000000000c0ffee';

function refOf(options: TestContextOptions): Pick<BuildContext['git'], 'ref' | 'branch' | 'tag'> {
  if (options.tag !== undefined) {
    return { ref: `refs/tags/${options.tag}`, branch: null, tag: options.tag };
  }
  const branch = options.branch ?? 'main';
  return { ref: `refs/heads/${branch}`, branch, tag: null };
}

/** A complete `BuildContext` from the defaults and `options`. */
export function testContext(options: TestContextOptions = {}): BuildContext {
  const url = options.repo?.url ?? 'https://git.example.test/acme/app.git';
  const git: Mutable<BuildContext['git']> = {
    url,
    ...refOf(options),
    commit: options.commit ?? DEFAULT_TEST_COMMIT,
    message: options.message ?? 'A commit under test',
    author: { name: 'Pipeline Test', email: 'pipeline-test@example.test' },
    changedFiles: [...(options.changedFiles ?? [])],
    pullRequest: null,
    ...options.git,
  };
  return {
    build: {
      id: 'build-test',
      number: 1,
      source: 'push',
      trusted: options.trusted ?? true,
      ...options.build,
    },
    repo: {
      org: 'acme',
      name: 'app',
      url,
      mainBranch: 'main',
      labels: [],
      ...options.repo,
    },
    git,
    env: { CI: 'true', GIBBON_BUILD_NUMBER: '1', ...options.env },
    inputs: { ...options.inputs },
  };
}
