// Compiles public-api, build-runner and the packages they depend on. turbo's cache makes a
// second start almost free. The first build takes a while (tsc of every package), so each
// package is named as its compile starts; the compiler's output is shown only when it fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { StartError } from './preflight.mjs';

const require = createRequire(import.meta.url);

export const builtServices = ['@gibbon/public-api', '@gibbon/build-runner'];

/** `@gibbon/engine:build: cache miss, executing 1a2b…`: turbo starting a package's compile. */
const compileStarts = /^(\S+):build: cache (?:miss|bypass)/;
const cacheHits = /^(\S+):build: cache hit/;

/** Runs `turbo run build` for both services and their dependencies, saying what it compiles. */
export async function buildServices(repoRoot) {
  const turbo = require.resolve('turbo/bin/turbo', { paths: [repoRoot] });
  const filters = builtServices.map((name) => `--filter=${name}...`);
  const args = [turbo, 'run', 'build', ...filters, '--output-logs=new-only', '--log-prefix=task'];
  process.stdout.write('Building public-api and build-runner (cached after the first time)…\n');
  const started = Date.now();
  let compiled = 0;
  let cached = 0;
  const onLine = (line) => {
    const compiling = compileStarts.exec(line);
    if (compiling) {
      compiled += 1;
      process.stdout.write(`  compiling ${compiling[1]}…\n`);
    } else if (cacheHits.test(line)) cached += 1;
  };
  const { code, output } = await run(process.execPath, args, repoRoot, onLine);
  if (code !== 0) {
    process.stderr.write(output);
    throw new StartError(
      `Building the services failed (turbo exit ${code}); the compiler's messages are above.`,
    );
  }
  if (compiled > 0) {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(`Built ${compiled} packages in ${seconds} s (${cached} unchanged).\n`);
  }
}

function run(command, args, cwd, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    });
    const lines = [];
    const keep = (line) => {
      lines.push(line);
      onLine(line);
    };
    createInterface({ input: child.stdout }).on('line', keep);
    createInterface({ input: child.stderr }).on('line', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: `${lines.join('\n')}\n` }));
  });
}
