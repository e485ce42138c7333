/**
 * Runs the job's `script` lines in one shell, in order, so `cd` and `export` carry over like
 * in a terminal. The lines travel as positional arguments, never spliced into this program:
 * each is echoed as `+ line` and then `eval`ed; under `sh -e` the first failing line ends the
 * shell with that line's exit code.
 */
const driver =
  'for gibbon_line in "$@"; do printf \'+ %s\\n\' "$gibbon_line"; eval "$gibbon_line"; done';

/** Entrypoint and Cmd of a script job: the driver, then the lines as its arguments. */
export function scriptInvocation(lines: string[]): { Entrypoint: string[]; Cmd: string[] } {
  return { Entrypoint: ['/bin/sh', '-e', '-c', driver, 'gibbon-script'], Cmd: lines };
}
