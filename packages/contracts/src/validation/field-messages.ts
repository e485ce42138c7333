import type { ErrorObject } from 'ajv';

/** One refused field: where (`/body/jobs/0/id`, `/query/limit`) and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

function quoted(values: unknown): string {
  return Array.isArray(values) ? values.map((each) => JSON.stringify(each)).join(', ') : '';
}

function messageOf(error: ErrorObject, at: string): FieldError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${at}/${String(params.additionalProperty)}`,
        message: 'is not a field this operation takes',
      };
    case 'enum':
      return { path: at, message: `must be one of ${quoted(params.allowedValues)}` };
    case 'const':
      return { path: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'discriminator':
      return {
        path: `${at}/${String(params.tag)}`,
        message:
          params.error === 'mapping'
            ? `${JSON.stringify(params.tagValue)} is not one of the documented kinds`
            : 'must be a string naming the kind',
      };
    case 'pattern': {
      // A pattern reads badly as a regular expression; the schema's description says it in words.
      const description = (error.parentSchema as { description?: unknown } | undefined)
        ?.description;
      if (typeof description !== 'string') return { path: at, message: error.message ?? '' };
      const words = description.replace(/\.$/, '');
      return { path: at, message: `must be ${words.charAt(0).toLowerCase()}${words.slice(1)}` };
    }
    default:
      return { path: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

/**
 * ajv's errors as messages a user can act on. A `oneOf` without a discriminator (a job with
 * either `script` or `command`) reads "needs one of: …", each alternative with its own refusals,
 * instead of ajv's "must match exactly one schema in oneOf" after every branch's errors.
 */
export function fieldErrors(errors: readonly ErrorObject[], location: string): FieldError[] {
  const choices = errors.filter((each) => each.keyword === 'oneOf' || each.keyword === 'anyOf');
  // The innermost choice an error is a branch refusal of, if any.
  const inChoice = (error: ErrorObject) =>
    choices
      .filter((choice) => choice !== error && error.schemaPath.startsWith(`${choice.schemaPath}/`))
      .sort((a, b) => b.schemaPath.length - a.schemaPath.length)[0];
  const out: FieldError[] = [];
  for (const error of errors) {
    const choice = inChoice(error);
    if (choice !== undefined) continue;
    const at = `${location}${error.instancePath}`;
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      out.push(messageOf(error, at));
      continue;
    }
    const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing)) {
      out.push({
        path: at,
        message: `fits more than one of its shapes (${passing.join(' and ')})`,
      });
      continue;
    }
    const branches = new Map<string, string[]>();
    for (const inner of errors.filter((each) => inChoice(each) === error)) {
      const branch = inner.schemaPath.slice(error.schemaPath.length + 1).split('/')[0] ?? '';
      const { path, message } = messageOf(inner, `${location}${inner.instancePath}`);
      branches.set(branch, [...(branches.get(branch) ?? []), `${path} ${message}`]);
    }
    const alternatives = [...branches.values()].map((each) => each.join(', '));
    out.push({
      path: at,
      message:
        alternatives.length > 0
          ? `needs one of: ${alternatives.map((each) => `(${each})`).join(' or ')}`
          : 'fits none of its shapes',
    });
  }
  return out;
}
