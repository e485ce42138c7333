import { startTestApp, type TestApp, type TestAppOptions } from './harness';
import type { Backend, OpenedBackend } from './backends';

/** The app over one back end of `backends.ts`; `close` stops both. */
export async function startAppOn(
  backend: Backend,
  options: Omit<TestAppOptions, 'database'> = {},
): Promise<TestApp> {
  const opened: OpenedBackend = await backend.open();
  const app = await startTestApp({ ...options, database: opened.database });
  return {
    ...app,
    async close() {
      await app.close();
      await opened.cleanup();
    },
  };
}
