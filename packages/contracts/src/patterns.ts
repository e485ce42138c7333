/**
 * The id and name patterns of the OpenAPI documents, for code that validates ids outside an
 * HTTP request (storage keys, the SDK's job builders, the runner's container labels). A contract
 * test checks that each equals the `pattern` of the schema of the same name in the documents.
 */

/** Org slugs and repository names: lower-case, digits and inner dashes, 1–64 characters. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Job ids: they name containers, log keys and SSE events, so no path or shell characters. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Names of a job's outputs (`job.setOutput`, `$GIBBON_OUTPUT` lines): shell-variable-like. */
export const JOB_OUTPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * The log id of the build script's own output (checkout and compile errors, console output
 * outside jobs). Job ids start with a letter or digit, so no job can take it.
 */
export const SCRIPT_LOG_ID = '_script';

/** Log ids: a job id, or `_script` for the build script's own log. */
export const LOG_ID_PATTERN = /^(?:_script|[A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/;

/** Artifact and cache ids: like job ids, and never `..`, because they become storage keys. */
export const ARTIFACT_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Parameter names are environment-variable names, because jobs receive them as such. */
export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The longest parameter value the APIs accept, in characters. */
export const PARAM_VALUE_MAX_LENGTH = 65536;

/** Server-made ids (builds, leases, tokens, runners, webhooks, parameter sets). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Full commit ids: 40 hex digits (SHA-1 repositories) or 64 (SHA-256 repositories). */
export const COMMIT_SHA_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Names of a pipeline's inputs (`ctx.inputs.NAME`): identifier-like, so they read as properties. */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** How many inputs a build takes at most, and the longest text value of one. */
export const MAX_BUILD_INPUTS = 50;
export const INPUT_VALUE_MAX_LENGTH = 1000;
