import { InputError, NotFoundError, PARAM_NAME_PATTERN } from '../contracts';

/** `job.param(name, { optional: true })`: a build that cannot see the parameter gets undefined. */
export interface ParamOptions {
  readonly optional?: boolean;
}

/** Refuses a name that cannot be a parameter's (they look like environment variables). */
export function checkParamName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !PARAM_NAME_PATTERN.test(name)) {
    throw new InputError(
      `job.param(${JSON.stringify(name)}): parameter names look like environment variables (A-Z, 0-9, _).`,
    );
  }
}

/**
 * The value `job.param` answers: a parameter the build cannot see fails the job with what to
 * do about it, unless the script said it may be missing.
 */
export function paramValue(
  name: string,
  value: string | undefined,
  options: ParamOptions | undefined,
  trusted: boolean,
): string | undefined {
  if (value !== undefined || options?.optional === true) return value;
  const why = trusted
    ? `no parameter set of the org that applies to this repository holds ${name}: add it ` +
      `(pnpm gibbon params create, or a set's label filters that match the repository)`
    : 'this build is untrusted (a pull request from a fork), and untrusted builds see no parameters';
  throw new NotFoundError(
    `job.param(${JSON.stringify(name)}): ${why}. A job that can do without it reads it with ` +
      `job.param(${JSON.stringify(name)}, { optional: true }).`,
  );
}
