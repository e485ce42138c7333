/**
 * The build context a build script receives (spec section 2): what is being built, from which
 * repository and commit. It is read-only data fetched once from `GET /v1/build`; its shape is
 * the Script API's `BuildContext` schema in @gibbon/contracts, so the two never drift.
 */
import type { BuildContext as BuildContextSchema } from '@gibbon/contracts';
import type { InputValue } from './inputs';

type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

/**
 * `build` (id, number, source, trusted), `repo` (org, name, url, mainBranch, labels), `git`
 * (url, ref, branch, tag, commit, message, author, changedFiles) and `env`. `git.branch` is
 * null for a tag build and `git.tag` null for a branch build; `build.trusted` is false for pull
 * requests from forks (no parameters, caches restored but never written). `inputs` holds the
 * build's inputs checked against the pipeline's declaration, defaults filled in (`{}` when it
 * declares none; see inputs.ts).
 */
export type BuildContext = DeepReadonly<Omit<BuildContextSchema, 'inputs'>> & {
  readonly inputs: Readonly<Record<string, InputValue>>;
};
/** A context as the Script API answers it: `inputs` are the build's, not checked yet. */
export type GivenContext = Omit<BuildContext, 'inputs'> & {
  readonly inputs?: Readonly<Record<string, unknown>>;
};

export type BuildInfo = BuildContext['build'];
export type RepoInfo = BuildContext['repo'];
export type GitInfo = BuildContext['git'];
export type BuildSource = BuildInfo['source'];
