/** Where a job's log is (`_script` is the build script's own log). */
export interface LogAddress {
  readonly org: string;
  readonly repo: string;
  readonly number: number;
  readonly jobId: string;
}

export function logUrl({ org, repo, number, jobId }: LogAddress): string {
  const path = [org, 'repos', repo, 'builds', String(number), 'jobs', jobId].map(
    encodeURIComponent,
  );
  return `/v1/orgs/${path.join('/')}/logs`;
}

export interface LogStreamHandlers {
  readonly onText: (text: string) => void;
  /** The log is complete: the job (or, for `_script`, the build) has ended. */
  readonly onEnd: () => void;
  /** The answer was an error (no such job, signed out); `retrying` when it will try again. */
  readonly onProblem: (message: string, retrying: boolean) => void;
}

const retryDelayMs = 1000;

/**
 * Follows a log with `?follow=true`: the server streams text until the job ends. A stream
 * cut short (server restart, lost connection) resumes at the byte it reached (`offset`), so
 * every byte arrives exactly once; no polling. Stops when `signal` aborts.
 */
export async function followLog(
  address: LogAddress,
  handlers: LogStreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let offset = 0;
  while (!signal.aborted) {
    try {
      const response = await fetch(`${logUrl(address)}?follow=true&offset=${offset}`, { signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => undefined)) as
          { error?: { message?: string } } | undefined;
        handlers.onProblem(body?.error?.message ?? `The log answered ${response.status}.`, false);
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        offset += value.byteLength;
        handlers.onText(decoder.decode(value, { stream: true }));
      }
      const rest = decoder.decode();
      if (rest) handlers.onText(rest);
      handlers.onEnd();
      return;
    } catch {
      if (signal.aborted) return;
      handlers.onProblem('The log stream was cut; reconnecting…', true);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}
