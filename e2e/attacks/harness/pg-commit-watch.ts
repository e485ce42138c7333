import type { Direction, Tap } from './fault-proxy';

/** Where to cut: just before the COMMIT reaches Postgres, or just after Postgres committed. */
export type CommitCut = 'before-commit' | 'after-commit';

/** Protocol codes of the untyped first messages (SSLRequest, GSSENCRequest, cancel). */
const preStartupCodes = new Set([80877103, 80877104, 80877102]);

interface ConnectionState {
  buffer: Buffer;
  startedUp: boolean;
  /** This connection's open transaction wrote the watched table. */
  wrote: boolean;
  /** The watched COMMIT went to the server; its answer is the next thing it sends. */
  committing: boolean;
}

/**
 * A `FaultProxy` tap that reads the Postgres frontend protocol on every connection, finds the
 * transaction that inserts into `table`, and at its COMMIT swallows one message and calls
 * `onCut` once: with `before-commit` the COMMIT itself never reaches Postgres (the transaction
 * rolls back when the connection dies); with `after-commit` Postgres commits and its answer
 * never reaches the client. `onCut` is where the test kills the client (kill -9 of public-api),
 * so the cut lands exactly between "durable" and "acknowledged" (attack test 35 of e2e/attacks/README.md).
 *
 * It understands what node-postgres sends: Kysely's statements as extended-protocol `Parse`
 * messages with their SQL text, and `COMMIT` as a simple `Query`.
 */
export function commitCutTap(options: { table: string; cut: CommitCut; onCut(): void }): Tap {
  const connections = new Map<number, ConnectionState>();
  const insertInto = new RegExp(`^\\s*insert\\s+into\\s+"?${options.table}"?\\s`, 'i');
  let done = false;
  return (direction: Direction, chunk: Buffer, connection: number) => {
    if (done) return 'forward';
    let state = connections.get(connection);
    if (!state) {
      // A connection opened before the tap was set is past its startup: its messages are typed
      // (a letter first), while a startup message begins with its length's high byte, 0.
      const startedUp = direction === 'downstream' || chunk[0] !== 0;
      state = { buffer: Buffer.alloc(0), startedUp, wrote: false, committing: false };
      connections.set(connection, state);
    }
    if (direction === 'downstream') {
      if (!state.committing) return 'forward';
      done = true;
      options.onCut();
      return 'drop';
    }
    for (const sql of statementsIn(state, chunk)) {
      if (insertInto.test(sql)) state.wrote = true;
      if (!state.wrote || !/^\s*commit\s*;?\s*$/i.test(sql)) continue;
      if (options.cut === 'after-commit') {
        state.committing = true;
        return 'forward';
      }
      done = true;
      options.onCut();
      return 'drop';
    }
    return 'forward';
  };
}

/** The SQL texts of the complete `Parse` and `Query` messages the chunk completes. */
function statementsIn(state: ConnectionState, chunk: Buffer): string[] {
  state.buffer = Buffer.concat([state.buffer, chunk]);
  const statements: string[] = [];
  for (;;) {
    if (!state.startedUp) {
      if (state.buffer.length < 8) return statements;
      const length = state.buffer.readInt32BE(0);
      if (state.buffer.length < length) return statements;
      state.startedUp = !preStartupCodes.has(state.buffer.readInt32BE(4));
      state.buffer = state.buffer.subarray(length);
      continue;
    }
    if (state.buffer.length < 5) return statements;
    const type = String.fromCharCode(state.buffer[0] ?? 0);
    const length = state.buffer.readInt32BE(1);
    if (state.buffer.length < 1 + length) return statements;
    const body = state.buffer.subarray(5, 1 + length);
    state.buffer = state.buffer.subarray(1 + length);
    if (type === 'Q') statements.push(cString(body, 0));
    // Parse: statement name, then the query text.
    if (type === 'P') statements.push(cString(body, body.indexOf(0) + 1));
  }
}

function cString(bytes: Buffer, start: number): string {
  const end = bytes.indexOf(0, start);
  return bytes.subarray(start, end < 0 ? bytes.length : end).toString('utf8');
}
