import { runCli } from './cli';
import { writeLine } from './io';
import { userCwd } from './user-cwd';

// The first Ctrl-C (or SIGTERM) cancels cleanly: the build stops its jobs and removes their
// containers. Another one a second or more later quits at once, for a cleanup that hangs; the
// same Ctrl-C can arrive twice (from the terminal and passed on by the launcher or pnpm).
const cancel = new AbortController();
let firstSignalAt: number | undefined;
const onSignal = (): void => {
  if (firstSignalAt !== undefined) {
    if (Date.now() - firstSignalAt > 1_000) process.exit(130);
    return;
  }
  firstSignalAt = Date.now();
  writeLine(process.stderr, 'gibbon: canceling… (press Ctrl-C again to quit at once)');
  cancel.abort(new Error('Canceled by the user.'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runCli(process.argv.slice(2), {
  // A getter: Node makes process.stdin on first use, and only a command that reads it should.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: userCwd(process.env, process.cwd()),
  signal: cancel.signal,
}).then((code) => {
  process.exitCode = code;
});
