/**
 * A pipeline's inputs (spec section 2, "Inputs"): typed values a person chooses when starting a
 * build by hand (`gibbon trigger --input target=staging`, the web page's form, the `inputs` of
 * `POST .../builds`). The pipeline declares them; before any job runs the build's given values
 * are checked against that declaration and `ctx.inputs` holds the result with defaults applied.
 */
import {
  INPUT_NAME_PATTERN,
  INPUT_VALUE_MAX_LENGTH,
  InputError,
  MAX_BUILD_INPUTS,
} from './contracts';

export type InputValue = string | number | boolean;
export type InputType = 'string' | 'number' | 'boolean' | 'choice';

interface InputFields<Value> {
  readonly description?: string;
  /** Used when the build gives no value; an input with a default is never missing. */
  readonly default?: Value;
  /** A build without a value (and no default) fails before any job runs. */
  readonly required?: boolean;
}

export interface StringInput extends InputFields<string> {
  readonly type: 'string';
}
export interface NumberInput extends InputFields<number> {
  readonly type: 'number';
}
export interface BooleanInput extends InputFields<boolean> {
  readonly type: 'boolean';
}
export interface ChoiceInput<Option extends string = string> extends InputFields<Option> {
  readonly type: 'choice';
  /** The values allowed, at least one. */
  readonly options: readonly Option[];
}

export type InputDeclaration = StringInput | NumberInput | BooleanInput | ChoiceInput;
export type InputDeclarations = Readonly<Record<string, InputDeclaration>>;

type ValueOf<D> =
  D extends ChoiceInput<infer Option>
    ? Option
    : D extends NumberInput
      ? number
      : D extends BooleanInput
        ? boolean
        : string;

type Present<D> = D extends { readonly required: true } | { readonly default: InputValue }
  ? true
  : false;

/** `ctx.inputs` of a pipeline declaring `Declared`: an input with no default may be absent. */
export type InputValues<Declared extends InputDeclarations> = {
  readonly [Name in keyof Declared as Present<Declared[Name]> extends true ? Name : never]: ValueOf<
    Declared[Name]
  >;
} & {
  readonly [
    Name in keyof Declared as Present<Declared[Name]> extends true ? never : Name
  ]?: ValueOf<Declared[Name]>;
};

const TYPES: readonly InputType[] = ['string', 'number', 'boolean', 'choice'];

const allowedOf = (declared: InputDeclaration): string =>
  declared.type === 'choice'
    ? `one of ${declared.options.map((option) => JSON.stringify(option)).join(', ')}`
    : `a ${declared.type}`;

/** Whether `value` is allowed for `declared`. */
function fits(declared: InputDeclaration, value: unknown): boolean {
  if (declared.type === 'choice') return declared.options.includes(value as string);
  if (declared.type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === declared.type;
}

function declarationProblem(name: string, declared: unknown): string | undefined {
  if (!INPUT_NAME_PATTERN.test(name)) {
    return `input name ${JSON.stringify(name)} is not valid (letters, digits and '_', not starting with a digit, at most 64)`;
  }
  const input = declared as Partial<ChoiceInput> | null;
  if (typeof input !== 'object' || input === null || !TYPES.includes(input.type as InputType)) {
    return `input "${name}" needs a type: ${TYPES.join(', ')}`;
  }
  if (input.type === 'choice') {
    const options: unknown = input.options;
    if (
      !Array.isArray(options) ||
      options.length === 0 ||
      !options.every((o) => typeof o === 'string')
    ) {
      return `input "${name}" is a choice and needs options: a non-empty list of strings`;
    }
  }
  if (input.default !== undefined && !fits(input as InputDeclaration, input.default)) {
    return `the default of input "${name}" must be ${allowedOf(input as InputDeclaration)}`;
  }
  return undefined;
}

/** Throws one `InputError` naming every malformed declaration (at `pipeline()`'s call). */
export function checkInputDeclarations(declared: unknown): asserts declared is InputDeclarations {
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    throw new InputError('pipeline inputs must be a mapping of input names to declarations.');
  }
  const entries = Object.entries(declared);
  const problems = entries.flatMap(([name, input]) => declarationProblem(name, input) ?? []);
  if (entries.length > MAX_BUILD_INPUTS) problems.push(`at most ${MAX_BUILD_INPUTS} inputs`);
  if (problems.length > 0) throw new InputError(`The pipeline's inputs: ${problems.join('; ')}.`);
}

function valueProblem(
  name: string,
  declared: InputDeclaration | undefined,
  value: unknown,
): string | undefined {
  if (declared === undefined) return `"${name}" is not an input of this pipeline`;
  if (!fits(declared, value)) {
    return `input "${name}" must be ${allowedOf(declared)}, not ${JSON.stringify(value)}`;
  }
  if (typeof value === 'string' && value.length > INPUT_VALUE_MAX_LENGTH) {
    return `input "${name}" is longer than ${INPUT_VALUE_MAX_LENGTH} characters`;
  }
  return undefined;
}

/**
 * A value given as text for a `number` or `boolean` input, as the CLI (`--input n=3`) and a
 * web form send them, read as that type: `"3"` → 3, `"true"`/`"false"` → true/false. Anything
 * else is left as given, for the check to refuse.
 */
function coerced(declared: InputDeclaration | undefined, value: unknown): unknown {
  if (typeof value !== 'string' || declared === undefined) return value;
  if (declared.type === 'boolean' && (value === 'true' || value === 'false')) {
    return value === 'true';
  }
  if (declared.type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return value;
}

/**
 * The build's inputs as the pipeline sees them: `given` checked against `declared` (unknown
 * names, wrong types, values outside a choice's options, required inputs missing), defaults
 * filled in. Every problem goes into one `InputError` that also lists what the pipeline takes.
 */
export function resolveInputs(
  declared: InputDeclarations,
  givenAsSent: Readonly<Record<string, unknown>>,
): Record<string, InputValue> {
  const given = Object.fromEntries(
    Object.entries(givenAsSent).map(([name, value]) => [name, coerced(declared[name], value)]),
  );
  const problems = Object.entries(given).flatMap(
    ([name, value]) => valueProblem(name, declared[name], value) ?? [],
  );
  const values: Record<string, InputValue> = {};
  for (const [name, input] of Object.entries(declared)) {
    const value = given[name] ?? input.default;
    if (value !== undefined) values[name] = value as InputValue;
    else if (input.required === true)
      problems.push(`input "${name}" is required (${allowedOf(input)})`);
  }
  if (problems.length === 0) return values;
  throw new InputError(
    `The build's inputs do not match the pipeline: ${problems.join('; ')}. ${takes(declared)}`,
  );
}

function takes(declared: InputDeclarations): string {
  const entries = Object.entries(declared);
  if (entries.length === 0) return 'The pipeline declares no inputs.';
  return `The pipeline takes: ${entries.map(([name, input]) => `${name} (${allowedOf(input)}${input.required === true ? ', required' : ''})`).join(', ')}.`;
}
