import { delayBeforeRetry, verdictOf, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 1_000 };
const noJitter = (): number => 1;
const mostJitter = (): number => 0;

describe('delayBeforeRetry', () => {
  it('doubles the wait after each attempt, up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) =>
      delayBeforeRetry(policy, attempt, 0, noJitter),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('waits at least half of the wait, whatever the jitter', () => {
    expect(delayBeforeRetry(policy, 3, 0, mostJitter)).toBe(200);
  });

  it('waits for a Retry-After, within the cap', () => {
    expect(delayBeforeRetry(policy, 1, 700, noJitter)).toBe(700);
    expect(delayBeforeRetry(policy, 1, 5_000, noJitter)).toBe(1_000);
  });
});

describe('verdictOf', () => {
  const answer = (
    status: number,
    extra: { retryAfterSeconds?: number; rateLimitExhausted?: boolean } = {},
  ) => verdictOf({ status, rateLimitExhausted: false, ...extra });

  it.each([200, 201, 204])('takes %i as delivered', (status) => {
    expect(answer(status).kind).toBe('delivered');
  });

  it.each([500, 502, 503, 504, 429])('retries %i', (status) => {
    expect(answer(status).kind).toBe('retry');
  });

  it('retries a 403 only when the rate limit is exhausted', () => {
    expect(answer(403, { rateLimitExhausted: true }).kind).toBe('retry');
    expect(answer(403).kind).toBe('give-up');
  });

  it('carries Retry-After in milliseconds', () => {
    expect(answer(429, { retryAfterSeconds: 3 })).toEqual({
      kind: 'retry',
      reason: 'GitHub answered 429',
      retryAfterMs: 3_000,
    });
  });

  it.each([
    [400, 'not retried'],
    [401, "the repository's githubToken is not valid"],
    [404, 'check githubRepo and that the githubToken may write commit statuses'],
    [422, 'GitHub does not know the commit'],
  ])('gives %i up with a hint', (status, hint) => {
    expect(answer(status)).toEqual({
      kind: 'give-up',
      reason: `GitHub answered ${status}; ${hint}`,
    });
  });
});
