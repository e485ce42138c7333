export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/** A small fetch wrapper for the public API with one bearer token; JSON in, JSON (or text) out. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readAnswer<T>(response);
  }

  /** `call` that insists on a 2xx answer and returns its body. */
  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
    }
    return answer.body;
  }

  /** The raw response, for streams (`?follow=true`, SSE) and binary downloads. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.token}`, ...init.headers },
    });
  }
}

/** A response read to its end: JSON bodies parsed, anything else kept as text. */
export async function readAnswer<T = unknown>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, text, body: (json && text ? JSON.parse(text) : text) as T };
}
