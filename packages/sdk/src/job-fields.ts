/**
 * Shape checks of the fields given to `container()` and `action()`. Types catch these in an
 * editor; these checks catch them in plain JavaScript scripts and in values computed at run time,
 * with a message naming the job and the field.
 */
import { JOB_OUTPUT_NAME_PATTERN, PARAM_NAME_PATTERN, UnprocessableError } from './contracts';
import { CONTAINER_FIELDS, JOB_OPTION_FIELDS, unknownFieldMessage } from './field-names';

type Problem = string | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function stringList(value: unknown, field: string, allowEmpty: boolean): Problem {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return `${field} must be an array of strings`;
  }
  if (!allowEmpty && value.length === 0) return `${field} must not be empty`;
  return undefined;
}

function optional(value: unknown, check: (v: unknown) => Problem): Problem {
  return value === undefined ? undefined : check(value);
}

function pathRefs(value: unknown, field: string): Problem {
  if (!Array.isArray(value)) return `${field} must be an array of { id, path }`;
  const refs: unknown[] = value;
  const wellFormed = refs.filter(
    (ref) => isRecord(ref) && isNonEmptyString(ref.id) && isNonEmptyString(ref.path),
  ) as Record<string, unknown>[];
  if (wellFormed.length !== refs.length)
    return `${field} entries need a non-empty string id and path`;
  const problems = wellFormed.flatMap((ref) => [
    optional(ref.key, (key) => stringList(key, `${field}[].key`, false)),
    optional(ref.restoreKeys, (keys) => stringList(keys, `${field}[].restoreKeys`, false)),
    optional(ref.when, (when) =>
      when === 'success' || when === 'always'
        ? undefined
        : `${field}[].when must be 'success' or 'always'`,
    ),
  ]);
  return problems.find((problem) => problem !== undefined);
}

/** The Script API's limits (`ContainerJob` schema); action jobs share the retry limit. */
const MAX_RETRIES = 10;
const MAX_TIMEOUT_SECONDS = 86_400;

function timeoutProblem(value: unknown, wholeSeconds: boolean): Problem {
  const ok =
    typeof value === 'number' &&
    value > 0 &&
    value <= MAX_TIMEOUT_SECONDS &&
    (!wholeSeconds || Number.isInteger(value));
  if (ok) return undefined;
  return wholeSeconds
    ? `timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`
    : `timeout must be a positive number of seconds up to ${MAX_TIMEOUT_SECONDS}`;
}

function jobOptionProblems(options: Record<string, unknown>, wholeSeconds: boolean): Problem[] {
  const { dependsOn, timeout, retries, when, approval } = options;
  return [
    optional(dependsOn, (v) => stringList(v, 'dependsOn', true)),
    optional(timeout, (v) => timeoutProblem(v, wholeSeconds)),
    optional(retries, (v) =>
      Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_RETRIES
        ? undefined
        : `retries must be a whole number from 0 to ${MAX_RETRIES}`,
    ),
    optional(when, (v) =>
      typeof v === 'function' ? undefined : 'when must be a function of the build context',
    ),
    optional(approval, (v) =>
      typeof v === 'boolean' ? undefined : 'approval must be true or false',
    ),
  ];
}

function resourceProblem(value: unknown): Problem {
  if (!isRecord(value)) return 'resources must be { cpus?, memoryMb? }';
  const positive = (v: unknown) => v === undefined || (typeof v === 'number' && v > 0);
  return positive(value.cpus) && positive(value.memoryMb)
    ? undefined
    : 'resources.cpus and resources.memoryMb must be positive numbers';
}

function isOutputRef(value: Record<string, unknown>): boolean {
  const ref = value.output;
  return (
    isRecord(ref) &&
    typeof ref.job === 'string' &&
    typeof ref.name === 'string' &&
    JOB_OUTPUT_NAME_PATTERN.test(ref.name)
  );
}

function isEnvValue(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (!isRecord(value) || Object.keys(value).length !== 1) return false;
  if ('output' in value) return isOutputRef(value);
  return typeof value.secret === 'string' && PARAM_NAME_PATTERN.test(value.secret);
}

const SERVICE_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SERVICE_FIELDS = ['id', 'image', 'command', 'env', 'healthcheck'];

function serviceProblem(service: unknown): Problem {
  if (!isRecord(service))
    return 'services entries must be { id, image, command?, env?, healthcheck? }';
  const { id, image, command, env, healthcheck } = service;
  if (typeof id !== 'string' || !SERVICE_ID_PATTERN.test(id)) {
    return 'a service id is a hostname: lower-case letters, digits and -';
  }
  if ('ports' in service) {
    return `service ${id}: no ports to map: the job and its services share one network, so the job reaches ${id} on the port it listens on`;
  }
  const unknown = Object.keys(service).find((field) => !SERVICE_FIELDS.includes(field));
  if (unknown !== undefined)
    return `service ${id}: \`${unknown}\` is not a field of a service; the fields are ${SERVICE_FIELDS.join(', ')}`;
  if (!isNonEmptyString(image)) return `service ${id} needs an image`;
  const commandProblem = optional(command, (v) => stringList(v, `service ${id}: command`, false));
  if (commandProblem) return commandProblem;
  const envOk =
    env === undefined ||
    (isRecord(env) &&
      Object.values(env).every(
        (value) => isEnvValue(value) && !(isRecord(value) && 'output' in value),
      ));
  if (!envOk) return `service ${id}: env must map names to strings or to secret('NAME')`;
  if (healthcheck === undefined) return undefined;
  if (
    !isRecord(healthcheck) ||
    !Array.isArray(healthcheck.command) ||
    healthcheck.command.length === 0
  ) {
    return `service ${id}: healthcheck needs a command (an argv: ['pg_isready', '-U', 'postgres'])`;
  }
  return undefined;
}

function servicesProblem(value: unknown): Problem {
  if (!Array.isArray(value)) return 'services must be an array of { id, image, ... }';
  if (value.length > 10) return 'a job has at most 10 services';
  const ids = value.map((service: unknown) =>
    isRecord(service) && typeof service.id === 'string' ? service.id : undefined,
  );
  const repeated = ids.find((id, index) => id !== undefined && ids.indexOf(id) !== index);
  if (repeated !== undefined) return `service ids must differ; ${repeated} is there twice`;
  return value.map(serviceProblem).find((problem) => problem !== undefined);
}

function exposeProblem(value: unknown, spec: Record<string, unknown>): Problem {
  const port = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
  if (!Array.isArray(value) || value.length === 0 || value.length > 20 || !value.every(port)) {
    return 'expose must list 1 to 20 port numbers (1-65535) the job listens on';
  }
  if (new Set(value).size !== value.length) return 'expose lists a port twice';
  return spec.services === undefined
    ? undefined
    : "expose and services together are not supported: the job shares its services' network, so publish the port from a job without services";
}

function envProblem(value: unknown): Problem {
  const ok = isRecord(value) && Object.values(value).every(isEnvValue);
  return ok
    ? undefined
    : "env must map names to strings, to secret('NAME') (a parameter name: A-Z, 0-9, _) or to output('job', 'name')";
}

function commandProblem(spec: Record<string, unknown>): Problem {
  const hasScript = spec.script !== undefined;
  const hasCommand = spec.command !== undefined;
  if (hasScript === hasCommand) return 'give exactly one of script (shell lines) or command (argv)';
  return hasScript
    ? stringList(spec.script, 'script', false)
    : stringList(spec.command, 'command', false);
}

function fail(id: unknown, problems: Problem[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length === 0) return;
  throw new UnprocessableError(`Job ${JSON.stringify(id)}: ${found.join('; ')}.`);
}

/** A problem for each field that is not one the job takes (plain JavaScript, declarative files). */
function unknownFields(
  spec: Record<string, unknown>,
  kind: 'container' | 'action',
  known: readonly string[],
): Problem[] {
  return Object.keys(spec)
    .filter((field) => !known.includes(field))
    .map((field) => unknownFieldMessage(field, kind, known));
}

export function checkContainerSpec(id: unknown, spec: unknown): void {
  if (!isRecord(spec)) return fail(id, ['container() needs a spec object as its second argument']);
  fail(id, [
    ...unknownFields(spec, 'container', CONTAINER_FIELDS),
    isNonEmptyString(spec.image) ? undefined : 'image must be a non-empty string',
    commandProblem(spec),
    optional(spec.env, envProblem),
    optional(spec.workDir, (v) =>
      isNonEmptyString(v) ? undefined : 'workDir must be a non-empty string',
    ),
    optional(spec.saveArtifacts, (v) => pathRefs(v, 'saveArtifacts')),
    optional(spec.restoreArtifacts, (v) => pathRefs(v, 'restoreArtifacts')),
    optional(spec.caches, (v) => pathRefs(v, 'caches')),
    optional(spec.resources, resourceProblem),
    optional(spec.network, (v) => (v === 'none' ? undefined : "network may only be 'none'")),
    optional(spec.services, servicesProblem),
    optional(spec.expose, (v) => exposeProblem(v, spec)),
    optional(spec.arch, (v) =>
      v === 'amd64' || v === 'arm64' ? undefined : "arch must be 'amd64' or 'arm64'",
    ),
    ...jobOptionProblems(spec, true),
  ]);
}

export function checkActionOptions(id: unknown, fn: unknown, options: unknown): void {
  if (!isRecord(options)) return fail(id, ['action() options must be an object']);
  fail(id, [
    typeof fn === 'function' ? undefined : 'action() needs a function as its second argument',
    ...unknownFields(options, 'action', JOB_OPTION_FIELDS),
    ...jobOptionProblems(options, false),
  ]);
}
