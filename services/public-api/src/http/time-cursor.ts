import { InputError } from '@gibbon/contracts';

/**
 * The `cursor` of a list ordered newest first by a timestamp, ties by id (the audit log,
 * deliveries): where the next page starts, opaque to clients (base64url of `time|id`).
 */
export interface TimePosition {
  readonly time: string;
  readonly id: string;
}

export function timeCursorOf(position: TimePosition): string {
  return Buffer.from(`${position.time}|${position.id}`).toString('base64url');
}

export function timePositionOf(cursor: string): TimePosition {
  const [time, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!time || !id || rest.length > 0 || Number.isNaN(Date.parse(time))) {
    throw new InputError('cursor must be the nextCursor of a previous page.');
  }
  return { time, id };
}
