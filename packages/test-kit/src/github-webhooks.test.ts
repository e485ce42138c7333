import {
  githubDelivery,
  loadWebhookExamples,
  signGithubPayload,
  signGithubPayloadSha1,
} from './github-webhooks';

// The example of GitHub's "Validating webhook deliveries" documentation; the digests were
// also checked with `openssl dgst -sha256 -hmac` / `-sha1 -hmac`.
const secret = "It's a Secret to Everybody";
const body = 'Hello, World!';
const sha256 = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const sha1 = 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59';

describe('signGithubPayload', () => {
  it('matches the known HMAC-SHA256 vector, for strings and buffers', () => {
    expect(signGithubPayload(body, secret)).toBe(sha256);
    expect(signGithubPayload(Buffer.from(body), secret)).toBe(sha256);
  });

  it('changes when one byte of the body or the secret changes', () => {
    expect(signGithubPayload('Hello, World?', secret)).not.toBe(sha256);
    expect(signGithubPayload(body, `${secret}!`)).not.toBe(sha256);
  });

  it('signs with SHA-1 for the legacy header', () => {
    expect(signGithubPayloadSha1(body, secret)).toBe(sha1);
  });
});

describe('githubDelivery', () => {
  it('builds the headers GitHub sends, signing the exact body', () => {
    const delivery = githubDelivery({ event: 'ping', payload: body, secret, deliveryId: 'd-1' });

    expect(delivery).toEqual({
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/gibbon-test-kit',
        'x-github-event': 'ping',
        'x-github-delivery': 'd-1',
        'x-github-hook-installation-target-type': 'repository',
        'x-hub-signature-256': sha256,
        'x-hub-signature': sha1,
      },
    });
  });

  it('serializes an object payload and gives each delivery a fresh UUID', () => {
    const payload = { zen: 'Keep it logically awesome.', hook_id: 1 };
    const first = githubDelivery({ event: 'ping', payload, secret });
    const second = githubDelivery({ event: 'ping', payload, secret });

    expect(first.body).toBe(JSON.stringify(payload));
    expect(first.headers['x-hub-signature-256']).toBe(signGithubPayload(first.body, secret));
    expect(first.headers['x-github-delivery']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.headers['x-github-delivery']).not.toBe(first.headers['x-github-delivery']);
  });

  it('sends only the signatures asked for', () => {
    const sha1Only = githubDelivery({ event: 'push', payload: {}, secret, signatures: ['sha1'] });
    const unsigned = githubDelivery({ event: 'push', payload: {}, secret, signatures: [] });

    expect(Object.keys(sha1Only.headers)).toContain('x-hub-signature');
    expect(Object.keys(sha1Only.headers)).not.toContain('x-hub-signature-256');
    expect(Object.keys(unsigned.headers).filter((name) => name.startsWith('x-hub'))).toEqual([]);
  });
});

describe('loadWebhookExamples', () => {
  it('loads the captured push payloads', () => {
    const examples = loadWebhookExamples('push');

    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.event).toBe('push');
      expect(example.description).toMatch(/pushed/);
      expect(example.payload.ref).toMatch(/^refs\/(heads|tags)\//);
      expect(example.payload.repository.full_name).toMatch(/^[^/]+\/[^/]+$/);
    }
  });

  it('loads pull_request payloads with their actions, filtered by action', () => {
    const all = loadWebhookExamples('pull_request');
    const opened = loadWebhookExamples('pull_request', { action: 'opened' });

    expect(all.map((example) => example.action)).toEqual(
      expect.arrayContaining(['opened', 'synchronize', 'reopened', 'closed']),
    );
    expect(opened.length).toBeGreaterThan(0);
    for (const example of opened) {
      expect(example.action).toBe('opened');
      expect(example.payload.pull_request.head.sha).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('loads ping payloads', () => {
    const examples = loadWebhookExamples('ping');

    expect(examples.length).toBeGreaterThan(0);
    expect(examples[0]?.payload.zen).toEqual(expect.any(String));
  });

  it('fails clearly for an unknown event', () => {
    expect(() => loadWebhookExamples('no_such_event' as 'push')).toThrow(
      'no event named no_such_event',
    );
  });
});
