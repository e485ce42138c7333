import Module from 'node:module';
import { dirname, resolve } from 'node:path';
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

/** A build script compiled for this process: its code and the files it is made of. */
export interface CompiledScript {
  scriptPath: string;
  code: string;
  /** Absolute paths of the repository files esbuild read (the SDK is not among them). */
  inputs: string[];
}

/**
 * Compiles a TS/JS build script with esbuild (as the engine does). Syntax errors are
 * ScriptProblems with positions. `checkoutDir` must be a real path (no symlinks), like
 * `scriptPath`.
 */
export async function compileForVerify(
  scriptPath: string,
  checkoutDir: string,
): Promise<CompiledScript> {
  try {
    const result = await build({
      entryPoints: [scriptPath],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      metafile: true,
      // Positions in messages are then relative to the checkout: `.gibbon/build.ts:3:7`.
      absWorkingDir: checkoutDir,
      logLevel: 'silent',
      plugins: [sdkFromCli],
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(checkoutDir, input));
    return { scriptPath, code: result.outputFiles[0]?.text ?? '', inputs };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) throw error;
    throw new ScriptProblems('syntax', errors.map(describe));
  }
}

/**
 * Evaluates a compiled script in this process and returns its default export; a script that
 * throws while loading is a `load` problem with its message.
 */
export function evaluateScript({ scriptPath, code }: CompiledScript): unknown {
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
  return (loaded.exports as { default?: unknown }).default;
}
