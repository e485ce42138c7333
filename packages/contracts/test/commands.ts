/**
 * The package's own command-line tools, run as child processes the way `pnpm generate` and CI
 * run them: the type generator and the Redocly linter.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PACKAGE_ROOT = resolve(__dirname, '..');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    const code = typeof failed.code === 'number' ? failed.code : 1;
    return { code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** `scripts/generate-types.mjs`, the script behind `pnpm generate`. */
export function generateTypes(openapiDir: string, outDir: string): Promise<CommandResult> {
  return node(['scripts/generate-types.mjs', '--openapi', openapiDir, '--out', outDir]);
}

export interface LintTotals {
  errors: number;
  warnings: number;
  /** Problems silenced by a `.redocly.lint-ignore.yaml`; we keep none. */
  ignored: number;
  problems: { ruleId: string; message: string }[];
}

/** `redocly lint` with the package's redocly.yaml; never phones home (telemetry off). */
export async function redoclyLint(documentPath: string): Promise<LintTotals> {
  const cli = require.resolve('@redocly/cli/bin/cli.js', { paths: [PACKAGE_ROOT] });
  const result = await node(
    [
      cli,
      'lint',
      '--config',
      resolve(PACKAGE_ROOT, 'redocly.yaml'),
      '--format',
      'json',
      documentPath,
    ],
    { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  );
  const report = JSON.parse(result.stdout) as {
    totals: { errors: number; warnings: number; ignored: number };
    problems: { ruleId: string; message: string }[];
  };
  const { errors, warnings, ignored } = report.totals;
  const problems = report.problems.map(({ ruleId, message }) => ({ ruleId, message }));
  return { errors, warnings, ignored, problems };
}
