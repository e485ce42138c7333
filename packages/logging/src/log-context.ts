import { AsyncLocalStorage } from 'node:async_hooks';

type Fields = Readonly<Record<string, unknown>>;

const context = new AsyncLocalStorage<Fields>();
const none: Fields = {};

/**
 * Runs `work` with `fields` (a request's id, say) added to every line logged while it runs,
 * including from the callbacks and promises it starts: loggers read them through
 * `currentLogFields`. Nested calls add to the outer fields.
 */
export function withLogFields<T>(fields: Fields, work: () => T): T {
  return context.run({ ...currentLogFields(), ...fields }, work);
}

export function currentLogFields(): Fields {
  return context.getStore() ?? none;
}
