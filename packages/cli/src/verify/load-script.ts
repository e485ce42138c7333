import Module from 'node:module';
import { dirname } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { located, ScriptProblems } from './problem';

/**
 * `@gibbon/sdk` (and its subpaths) stays outside the bundle and is required from the CLI, so
 * the jobs the script builds are the very objects the CLI's `resolvePipeline` checks.
 */
const sdkFromCli: Plugin = {
  name: 'gibbon-cli-sdk',
  setup(builder) {
    builder.onResolve({ filter: /^@gibbon\/sdk(\/|$)/ }, (args) => ({
      path: require.resolve(args.path),
      external: true,
    }));
  },
};

function describe(message: Message): string {
  const where = message.location;
  if (!where) return message.text;
  return located(where.file, { line: where.line, column: where.column + 1 }, message.text);
}

/**
 * Compiles a TS/JS build script with esbuild (as the engine does) and evaluates it in this
 * process, returning its default export. Syntax errors are ScriptProblems with positions; a
 * script that throws while loading is a `load` problem with its message.
 */
export async function loadBuildScript(scriptPath: string): Promise<unknown> {
  let code: string;
  try {
    const result = await build({
      entryPoints: [scriptPath],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [sdkFromCli],
    });
    code = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) throw error;
    throw new ScriptProblems('syntax', errors.map(describe));
  }
  const loaded = new Module(scriptPath);
  loaded.filename = scriptPath;
  loaded.paths = (
    Module as unknown as { _nodeModulePaths(dir: string): string[] }
  )._nodeModulePaths(dirname(scriptPath));
  try {
    (loaded as unknown as { _compile(code: string, file: string): void })._compile(
      code,
      scriptPath,
    );
  } catch (error) {
    throw new ScriptProblems('load', [
      `The build script threw while loading: ${(error as Error).message}`,
    ]);
  }
  const exported = loaded.exports as { default?: unknown };
  return exported.default;
}
