// Compiles public-api, build-runner and the packages they depend on. turbo's cache makes a
// second start almost free; the output is shown only when the build fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { StartError } from './preflight.mjs';

const require = createRequire(import.meta.url);

export const builtServices = ['@gibbon/public-api', '@gibbon/build-runner'];

/** Runs `turbo run build` for both services and their dependencies; quiet unless it fails. */
export async function buildServices(repoRoot) {
  const turbo = require.resolve('turbo/bin/turbo', { paths: [repoRoot] });
  const filters = builtServices.map((name) => `--filter=${name}...`);
  const args = [
    turbo,
    'run',
    'build',
    ...filters,
    '--output-logs=errors-only',
    '--log-prefix=none',
  ];
  process.stdout.write('Building public-api and build-runner (cached after the first time)…\n');
  const { code, output } = await run(process.execPath, args, repoRoot);
  if (code === 0) return;
  process.stderr.write(output);
  throw new StartError(
    `Building the services failed (turbo exit ${code}); the compiler's messages are above.`,
  );
}

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString() }));
  });
}
