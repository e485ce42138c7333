/* eslint-disable no-control-regex -- these patterns are about control characters */
// CSI sequences (ESC [ ... final byte), other ESC sequences, and C0/C1 controls but tab.
const escapeSequences =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const colour = /^\u001b\[[0-9;]*m$/;
/* eslint-enable no-control-regex */

/**
 * A job's output line made safe for the live display on a terminal: colours stay, but cursor
 * moves, screen clears and other control characters are dropped (they would break the job
 * block drawn below the output, or let a job's output rewrite it), and of a line redrawn with
 * `\r` (a progress bar) only the last state is kept.
 */
export function terminalSafe(text: string): string {
  const lastState = text.slice(text.lastIndexOf('\r') + 1);
  const safe = lastState.replace(escapeSequences, (sequence) =>
    colour.test(sequence) ? sequence : '',
  );
  // A colour left open would paint the job block: reset after any coloured line.
  return safe.includes('\u001b[') ? `${safe}\u001b[0m` : safe;
}
