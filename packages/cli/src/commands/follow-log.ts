import { InputError, UnavailableError } from '@gibbon/contracts';
import { messageOf, writeLine, type ExitCode, type Io } from '../io';
import { sleep } from './api-support';

/** How `logs -f` waits for a server it lost. */
export interface ReconnectTiming {
  /** The wait before the first new try; it doubles on every failed one... */
  readonly firstWaitMs: number;
  /** ...up to this. */
  readonly longestWaitMs: number;
  /** How long the server may stay unreachable before `logs -f` gives up. */
  readonly giveUpMs: number;
}

const defaultReconnectTiming: ReconnectTiming = {
  firstWaitMs: 500,
  longestWaitMs: 5_000,
  giveUpMs: 60_000,
};

/** `--reconnect-for SECONDS`: the default timing with another give-up time. */
export function reconnectTimingOf(value: string | undefined): ReconnectTiming {
  if (value === undefined) return defaultReconnectTiming;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InputError(
      `--reconnect-for takes seconds (0, 10, 60, ...), not ${JSON.stringify(value)}.`,
    );
  }
  return { ...defaultReconnectTiming, giveUpMs: seconds * 1000 };
}

/** Opens the followed log from the byte `offset` on (the generated client's `jobLog`). */
export type OpenLog = (offset: number) => Promise<ReadableStream<Uint8Array>>;

/** A followed answer that broke off before the server ended it: the job may still run. */
class StreamBrokenError extends UnavailableError {
  constructor(
    /** The bytes of the answer printed before it broke off. */
    readonly printed: number,
    cause: unknown,
  ) {
    // A cut connection surfaces as fetch's "terminated" with the socket error as its cause.
    const reason = messageOf((cause as { cause?: unknown }).cause ?? cause);
    super(`the log's answer broke off (${reason})`, { cause });
  }
}

/**
 * `logs -f`: prints the followed log and, when the answer breaks off (the connection lost,
 * public-api restarting, a 5xx), asks again from the byte after the last one printed, so
 * every byte is printed once and the output ends with the job's last line.
 *
 * Lifecycle: one answer at a time, never polling while one is open. The first answer is not
 * retried (a server that was never reached is a wrong GIBBON_SERVER_URL more often than a
 * restart). A later break starts the reconnecting: one line on stderr, tries after
 * `firstWaitMs` doubling to `longestWaitMs`, one line when an answer comes again. Resolves 0 when the server ends an answer (the job ended)
 * or on Ctrl-C; rejects at once with an answer the server meant (404, 403: asking again would
 * not change it), and with an UnavailableError once the server stayed away for `giveUpMs`.
 */
export async function followLog(
  open: OpenLog,
  io: Io,
  timing: ReconnectTiming,
  what: string,
): Promise<ExitCode> {
  let printed = 0;
  let lostAt: number | undefined;
  let wait = timing.firstWaitMs;
  let answered = false;
  for (;;) {
    try {
      const stream = await open(printed);
      answered = true;
      if (lostAt !== undefined) {
        writeLine(io.stderr, `gibbon logs: reconnected; the log goes on from byte ${printed}.`);
        lostAt = undefined;
        wait = timing.firstWaitMs;
      }
      printed += await printAll(stream, io);
      return 0;
    } catch (error) {
      // Ctrl-C ends `logs -f` like `tail -f`, also when it cut a request or a wait short.
      if (io.signal.aborted) return 0;
      if (!(error instanceof UnavailableError) || !answered) throw error;
      if (error instanceof StreamBrokenError) printed += error.printed;
      lostAt ??= lostSince(io, error, timing);
      // The last try is at the give-up time itself, not a whole wait after it.
      const left = lostAt + timing.giveUpMs - Date.now();
      if (left <= 0) throw givingUp(error, timing, what);
      await sleep(Math.min(wait, left), io.signal);
      wait = Math.min(wait * 2, timing.longestWaitMs);
    }
  }
}

/** Prints the answer; resolves with its byte count, or rejects with a StreamBrokenError. */
async function printAll(stream: ReadableStream<Uint8Array>, io: Io): Promise<number> {
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      io.stdout.write(chunk);
      bytes += chunk.byteLength;
    }
    return bytes;
  } catch (error) {
    throw io.signal.aborted ? error : new StreamBrokenError(bytes, error);
  }
}

function lostSince(io: Io, error: UnavailableError, timing: ReconnectTiming): number {
  writeLine(
    io.stderr,
    `gibbon logs: lost the server: ${withoutStop(error.message)}; reconnecting for up to ${seconds(timing.giveUpMs)} (Ctrl-C to stop).`,
  );
  return Date.now();
}

function givingUp(last: UnavailableError, timing: ReconnectTiming, what: string): Error {
  return new UnavailableError(
    `Gave up following ${what}: the server was not back within ${seconds(timing.giveUpMs)} (last: ${withoutStop(last.message)}). ` +
      'Once it runs again, print the whole log with gibbon logs (without -f), or follow it again with -f.',
    { cause: last },
  );
}

function withoutStop(sentence: string): string {
  return sentence.replace(/\.$/, '');
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
