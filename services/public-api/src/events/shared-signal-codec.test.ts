import type { BuildStatusEvent } from '@gibbon/contracts';
import { maxNotifyPayloadBytes } from '../db/pg-notify';
import { decodeSignal, encodeSignal, type SentSignal } from './shared-signal-codec';

const status: BuildStatusEvent = {
  type: 'build.status',
  org: 'acme',
  repo: 'web',
  buildId: 'bld_0123456789abcdef',
  number: 12,
  status: 'running',
  at: '2026-12-07T22:00:00.000Z',
};

describe('shared signals as NOTIFY payloads', () => {
  it.each<SentSignal>([
    { from: 'proc-1', signal: { kind: 'queued' } },
    { from: 'proc-1', signal: { kind: 'status', event: status } },
    { from: 'proc-1', signal: { kind: 'log', buildId: 'bld_1', jobId: '_script' } },
  ])('reads back what it wrote: $signal.kind', (sent) => {
    expect(decodeSignal(encodeSignal(sent))).toEqual(sent);
  });

  it('keeps the largest status event of the longest names far under the NOTIFY limit', () => {
    const longest = `${'a'.repeat(63)}z`;
    const payload = encodeSignal({
      from: 'f'.repeat(36),
      signal: {
        kind: 'status',
        event: {
          type: 'job.status',
          org: longest,
          repo: longest,
          buildId: 'b'.repeat(64),
          number: 2 ** 31,
          jobId: 'j'.repeat(100),
          status: 'failure',
          exitCode: -2147483648,
          at: status.at,
        },
      },
    });
    expect(Buffer.byteLength(payload)).toBeLessThan(maxNotifyPayloadBytes / 10);
  });

  it.each([
    ['not JSON', 'gibbon'],
    ['no sender', JSON.stringify({ signal: { kind: 'queued' } })],
    ['an unknown kind', JSON.stringify({ from: 'x', signal: { kind: 'drop-tables' } })],
    [
      'a log id that is a path',
      JSON.stringify({ from: 'x', signal: { kind: 'log', buildId: '../b', jobId: 'test' } }),
    ],
    [
      'a status event of another shape',
      JSON.stringify({ from: 'x', signal: { kind: 'status', event: { ...status, status: 'x' } } }),
    ],
    ['extra fields', JSON.stringify({ from: 'x', signal: { kind: 'queued', all: true } })],
  ])('drops a payload with %s', (_what, payload) => {
    expect(decodeSignal(payload)).toBeUndefined();
  });
});
