import { readAnswer, type Answer, type ApiClient } from '../../build/harness';

/** What `POST /v1/runner/claim` hands a runner (the fields the attacks use). */
export interface ClaimedBuild {
  readonly build: { readonly id: string; readonly number: number };
  readonly lease: { readonly id: string; readonly expiresAt: string };
  readonly buildToken: string;
}

/**
 * The test playing a runner over the runner API, so token attacks can hold real build tokens
 * and leases without a build-runner process consuming them. `register` needs the admin client.
 */
export class RunnerClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async register(admin: ApiClient, name: string): Promise<RunnerClient> {
    const { token } = await admin.ok<{ token: string }>('POST', '/v1/runners', { name });
    return new RunnerClient(admin.baseUrl, token);
  }

  /** Claims the oldest queued build, waiting up to `waitSeconds`; fails when none comes. */
  async claim(waitSeconds = 10): Promise<ClaimedBuild> {
    const answer = await runnerCall(this.baseUrl, 'POST', `/v1/runner/claim?wait=${waitSeconds}`, {
      token: this.token,
      body: {},
    });
    if (answer.status !== 200) {
      throw new Error(`claim answered ${answer.status}: ${answer.text || '(no build queued)'}`);
    }
    return answer.body as ClaimedBuild;
  }
}

export interface RunnerCallOptions {
  /** The bearer token, sent as is (forged tokens too); `undefined` sends no header. */
  readonly token?: string;
  readonly lease?: string;
  readonly body?: unknown;
  /** `text/plain` bodies are log chunks. */
  readonly text?: string;
}

/** One runner API call with exactly the credentials given; never throws for a status. */
export async function runnerCall(
  baseUrl: string,
  method: string,
  path: string,
  options: RunnerCallOptions,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.lease !== undefined) headers['x-gibbon-lease'] = options.lease;
  let body: string | undefined;
  if (options.text !== undefined) {
    headers['content-type'] = 'text/plain';
    body = options.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  return readAnswer(response);
}

/** The runner calls about one claimed build, each made with the token and lease given. */
export function buildCalls(baseUrl: string, buildId: string) {
  const base = `/v1/runner/builds/${buildId}`;
  type Credentials = Pick<RunnerCallOptions, 'token' | 'lease'>;
  return {
    params: (auth: Credentials) => runnerCall(baseUrl, 'GET', `${base}/params`, auth),
    heartbeat: (auth: Credentials) =>
      runnerCall(baseUrl, 'POST', `${base}/heartbeat`, { ...auth, body: {} }),
    log: (auth: Credentials, jobId: string, seq: number, text: string) =>
      runnerCall(baseUrl, 'PUT', `${base}/jobs/${jobId}/logs/${seq}`, { ...auth, text }),
    event: (auth: Credentials, event: Record<string, unknown>) =>
      runnerCall(baseUrl, 'POST', `${base}/events`, { ...auth, body: event }),
    result: (auth: Credentials, status: string) =>
      runnerCall(baseUrl, 'POST', `${base}/result`, { ...auth, body: { status } }),
  };
}
