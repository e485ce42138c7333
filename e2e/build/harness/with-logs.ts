/**
 * Runs a test body and, when it fails, appends every service's output to the error, so a
 * failure in CI shows what public-api and the runners said.
 */
export async function withServiceLogs(
  logs: () => Promise<string>,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const output = await logs().catch((cause: unknown) => `(logs unreadable: ${String(cause)})`);
    if (error instanceof Error) {
      error.message += `\n\n----- service output -----\n${output}`;
      throw error;
    }
    throw new Error(`${String(error)}\n\n----- service output -----\n${output}`, { cause: error });
  }
}
