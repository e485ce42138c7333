import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { writeLine, type ExitCode, type Io } from '../io';
import type { Command } from './command';

const help = `Usage: gibbon server [options]

Runs Gibbon CI on this machine with the embedded defaults, exactly as \`pnpm start\` does:
public-api and one build-runner as two processes, SQLite and local storage in the data folder
(GIBBON_DATA_DIR, default .gibbon-data in the current folder), the local Docker engine for
container jobs, the runner registered automatically. It prints the URL and, on the first start
only, the admin token. Ctrl-C stops both services; press it again to force.

It runs scripts/start.mjs of the Gibbon CI repository this CLI belongs to, so it works from a
clone of the repository (\`pnpm gibbon server\`). The services read the variables of the README's
configuration table (GIBBON_PORT, GIBBON_DATA_DIR, GIBBON_JOB_NETWORK, ...).

Options:
  --no-build  use the services' existing builds (dist/) instead of building them first
  -h, --help  show this help

Exit status: 0 stopped by Ctrl-C or SIGTERM, 2 a check failed at start (one line says which)
or a service stopped on its own, 130 a second Ctrl-C forced the stop.`;

const options = { ...helpOption, 'no-build': { type: 'boolean' } } as const;

/** src/commands or dist/commands → the repository root's scripts/. */
export const startScript = resolve(__dirname, '../../../../scripts/start.mjs');

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  if (positionals.length > 0) {
    throw new InputError(`takes no arguments (got ${positionals[0]}); see gibbon server --help.`);
  }
  if (!existsSync(startScript)) {
    throw new InputError(
      `it runs the Gibbon CI repository's scripts/start.mjs, which is not at ${startScript}; run it from a clone of the repository.`,
    );
  }
  const args = values['no-build'] ? ['--no-build'] : [];
  // Its own process group, so a terminal's Ctrl-C reaches this process only and is passed on
  // once: the server takes a second signal as "force the stop".
  const server = spawn(process.execPath, [startScript, ...args], {
    cwd: io.cwd,
    env: io.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout.pipe(io.stdout, { end: false });
  server.stderr.pipe(io.stderr, { end: false });
  const signalServer = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  };
  io.signal.addEventListener('abort', signalServer, { once: true });
  // A second Ctrl-C makes the CLI exit at once; the server is then told to force its stop too.
  process.once('exit', signalServer);

  const code = await new Promise<number | null>((done) => {
    server.once('error', (error) => {
      writeLine(io.stderr, `gibbon server: could not start node: ${error.message}`);
      done(null);
    });
    server.once('close', (exitCode) => done(exitCode));
  });
  io.signal.removeEventListener('abort', signalServer);
  process.removeListener('exit', signalServer);
  return code === 0 ? 0 : 2;
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'Run public-api and a build-runner on this machine (what pnpm start runs)',
  help,
  run,
};
