import type { ExitCode, Io } from '../io';

/**
 * One `gibbon <name>` subcommand. `run` parses its own argv (after the name), writes through
 * `io` and resolves an exit code; it throws only domain errors (InputError for bad usage),
 * which the dispatcher prints as one line and maps to exit 2.
 */
export interface Command {
  name: string;
  /** One line for `gibbon --help`. */
  summary: string;
  /** The full `gibbon <name> --help` text. */
  help: string;
  run(argv: string[], io: Io): Promise<ExitCode>;
}
