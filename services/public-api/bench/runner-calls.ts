/** What a claim answers that a bench needs to act as the runner of the build. */
export interface ClaimedBuild {
  readonly build: { readonly id: string; readonly number: number };
  readonly lease: { readonly id: string };
  readonly buildToken: string;
}

/** Runner calls about `claim` on the public-api at `url`, with its build token and lease. */
export function runnerCalls(url: string, claim: ClaimedBuild) {
  return (method: string, path: string, body: unknown, type = 'application/json') =>
    fetch(`${url}/v1/runner/builds/${claim.build.id}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${claim.buildToken}`,
        'x-gibbon-lease': claim.lease.id,
        'content-type': type,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
}
