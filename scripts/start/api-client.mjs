// The few public-api calls `pnpm start` makes itself, over plain fetch.

export class ApiClient {
  /** @param {string} baseUrl e.g. http://127.0.0.1:8080 */
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** `{ status, body, text }`; body is the parsed JSON when the answer is JSON. */
  async request(method, path, token, body) {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, text, body: json && text ? JSON.parse(text) : undefined };
  }

  /** Polls `/healthz` until it answers 200; rejects when `gaveUp` settles first. */
  async waitForHealth(gaveUp, timeoutMs = 60_000) {
    let stopped = false;
    const stop = gaveUp.then(() => (stopped = true));
    const deadline = Date.now() + timeoutMs;
    while (!stopped && Date.now() < deadline) {
      if (await this.#healthy()) return true;
      await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    return false;
  }

  async #healthy() {
    try {
      const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }
}
