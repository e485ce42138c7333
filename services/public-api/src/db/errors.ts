import { ConflictError, NotFoundError } from '@gibbon/contracts';

/** Vendor codes of a unique or primary-key violation (better-sqlite3 and pg). */
const uniqueViolationCodes = new Set([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  '23505',
]);
const foreignKeyViolationCodes = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

function vendorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Runs `work` and translates constraint violations into domain errors at the adapter edge:
 * a duplicate becomes `ConflictError(conflictMessage)`, a missing parent `NotFoundError`.
 */
export async function translateConstraintErrors<T>(
  work: () => Promise<T>,
  messages: { conflict: string; missingParent?: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = vendorCode(error);
    if (code !== undefined && uniqueViolationCodes.has(code)) {
      throw new ConflictError(messages.conflict, { cause: error });
    }
    if (code !== undefined && foreignKeyViolationCodes.has(code) && messages.missingParent) {
      throw new NotFoundError(messages.missingParent, { cause: error });
    }
    throw error;
  }
}
