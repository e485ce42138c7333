import { ID_PATTERN, LOG_ID_PATTERN } from '@gibbon/contracts';
import { orgEventSchema } from '@gibbon/contracts/events';
import { z } from 'zod';
import type { SharedSignal } from './build-hub';

/**
 * A shared signal as a NOTIFY payload: `{"from": <sender>, "signal": ...}`. Payloads are read
 * back with the same schema, so a malformed one (another client may NOTIFY on the channel) is
 * dropped rather than fired.
 */
const payloadSchema = z.strictObject({
  from: z.string().min(1).max(64),
  signal: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('queued') }),
    z.strictObject({ kind: z.literal('status'), event: orgEventSchema }),
    z.strictObject({
      kind: z.literal('log'),
      buildId: z.string().regex(ID_PATTERN),
      jobId: z.string().regex(LOG_ID_PATTERN),
    }),
  ]),
});

export interface SentSignal {
  /** The bridge that sent it (one per process): a process skips its own. */
  readonly from: string;
  readonly signal: SharedSignal;
}

export function encodeSignal(sent: SentSignal): string {
  return JSON.stringify(sent);
}

export function decodeSignal(payload: string): SentSignal | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
