import { scriptApiDocument } from './script-api-document';

let operations: readonly string[] | undefined;

/** Every operationId of the Script API document that needs a token: a full-scope token. */
export function scriptOperations(): readonly string[] {
  if (operations) return operations;
  const ids: string[] = [];
  for (const item of Object.values(scriptApiDocument().paths)) {
    for (const operation of Object.values(item)) {
      const { operationId, security } = (operation ?? {}) as {
        operationId?: string;
        security?: unknown[];
      };
      const open = Array.isArray(security) && security.length === 0;
      if (operationId && !open) ids.push(operationId);
    }
  }
  operations = ids;
  return operations;
}

/** The scope of a build's token: everything, minus writing caches for an untrusted build. */
export function scopeFor(trusted: boolean): string[] {
  const all = scriptOperations();
  return trusted ? [...all] : all.filter((operation) => operation !== 'putCache');
}
