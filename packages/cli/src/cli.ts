import { GibbonError } from '@gibbon/contracts';
import { commands } from './commands';
import { messageOf, writeLine, type ExitCode, type Io } from './io';
import { cliVersion } from './version';

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const list = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: gibbon <command> [options]',
    '',
    'Gibbon CI on the command line: run and check pipelines locally, and talk to a Gibbon server.',
    '',
    'Commands:',
    ...list,
    '',
    'Run `gibbon <command> --help` for the options of a command; `gibbon --version` prints the',
    "CLI's version.",
    '',
    'Exit status: 0 success, 1 the build or check failed, 2 an error (bad usage, bad script,',
    'Docker or the server unreachable).',
  ].join('\n');
}

/**
 * Dispatches `gibbon <command> ...`. Domain errors (bad usage, a bad script, an unreachable
 * Docker or server) are one line on stderr and exit 2; anything else is a bug and keeps its
 * stack.
 */
export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(name === undefined ? io.stderr : io.stdout, usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    writeLine(io.stdout, cliVersion());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    writeLine(io.stderr, `gibbon: unknown command ${JSON.stringify(name)}.\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof GibbonError) {
      writeLine(io.stderr, `gibbon ${name}: ${messageOf(error)}`);
      return 2;
    }
    writeLine(
      io.stderr,
      `gibbon ${name}: unexpected error: ${(error as Error).stack ?? String(error)}`,
    );
    return 2;
  }
}
