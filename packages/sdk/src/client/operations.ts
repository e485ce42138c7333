/**
 * The Script API operations the SDK calls, and the start-up check that the runner's OpenAPI
 * document has every one of them. A runner older (or newer) than the SDK fails the build at
 * once with the missing operations named, instead of half-way through a job.
 */
import { UnprocessableError } from '../contracts';

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
}

export const REQUIRED_OPERATIONS: readonly Operation[] = [
  { method: 'GET', path: '/v1/build' },
  { method: 'GET', path: '/v1/params' },
  { method: 'GET', path: '/v1/params/{name}' },
  { method: 'POST', path: '/v1/masks' },
  { method: 'POST', path: '/v1/jobs/{jobId}/run' },
  { method: 'POST', path: '/v1/events' },
  { method: 'POST', path: '/v1/jobs/{jobId}/logs' },
  { method: 'PUT', path: '/v1/artifacts/{id}' },
  { method: 'GET', path: '/v1/artifacts/{id}' },
  { method: 'GET', path: '/v1/jobs/{jobId}/approval' },
];

/** Path templates compare equal whatever their parameters are called (`{id}` vs `{jobId}`). */
function shapeOf(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

function operationsIn(document: unknown): Set<string> {
  const paths = (document as { paths?: unknown } | null)?.paths;
  const found = new Set<string>();
  if (typeof paths !== 'object' || paths === null) return found;
  for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of Object.keys(item)) found.add(`${method.toUpperCase()} ${shapeOf(path)}`);
  }
  return found;
}

/** The required operations `document` lacks. */
export function missingOperations(document: unknown, required = REQUIRED_OPERATIONS): Operation[] {
  const available = operationsIn(document);
  return required.filter((op) => !available.has(`${op.method} ${shapeOf(op.path)}`));
}

/** Throws naming every required operation the runner's OpenAPI document lacks. */
export function assertOperations(document: unknown, required = REQUIRED_OPERATIONS): void {
  const missing = missingOperations(document, required);
  if (missing.length === 0) return;
  const names = missing.map((op) => `${op.method} ${op.path}`).join(', ');
  throw new UnprocessableError(
    `The runner's Script API lacks operation${missing.length > 1 ? 's' : ''} this SDK needs: ${names}. ` +
      'Run the build with a runner of the same Gibbon CI version as the SDK.',
  );
}
