import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import { UnprocessableError } from '@gibbon/contracts';
import { inputsUnchanged, uncoveredInputs, writeInputList } from './bundle-inputs';
import { bundledPackageFolders, scriptFingerprint } from './fingerprint';
import { packageFolder } from './package-folder';

/** Bump when the bundling settings change, so cached bundles of the old recipe are not reused. */
const BUNDLE_RECIPE = 4;

/** The engine package's root: one folder above `src/` and `dist/` alike. */
const engineRoot = join(__dirname, '..', '..');

export interface CompileOptions {
  /** The build file (`.ts`, `.js` or `.mjs`), or the module generated from a declarative one. */
  scriptPath: string;
  /** The checkout the build file came from: the only place its imports may lead. */
  checkoutDir: string;
  /** Where compiled bundles are kept, by content hash. */
  cacheDir: string;
}

/**
 * The generated entry: the SDK runtime loads the user's module through a function, so a
 * script that throws while loading is reported as a build error rather than a crash. The
 * script is named relative to its folder (the entry's resolve folder), so neither the entry
 * nor the cache key depends on where the checkout is; the name is embedded as a JSON string
 * literal, never as code.
 */
function entrySource(scriptName: string): string {
  return [
    "import { runScriptModule } from '@gibbon/sdk/runtime';",
    `void runScriptModule(() => require(${JSON.stringify(`./${scriptName}`)}));`,
  ].join('\n');
}

const RESOLVING = 'gibbon-resolving';

function isInside(folder: string, path: string): boolean {
  const step = relative(folder, path);
  return step === '' || (!step.startsWith('..') && !isAbsolute(step));
}

/**
 * How every import of the bundle is resolved. `@gibbon/sdk` comes from the engine, so a
 * user's own (or missing) copy never counts. An import written in one of the repository's
 * files (`repoFolders`: the checkout, and the folder of a generated declarative module) must
 * land inside the checkout: esbuild runs here, as the runner's user and outside the build's
 * box, so `import token from '/var/lib/gibbon/runner-token.json'`, `'../../../master.txt'` or
 * a symlink in the checkout leading out would otherwise copy a file of the machine into the
 * bundle the box runs (attack plan 27). The engine's own files (the SDK and what it imports)
 * import as they like. The refusal names the import as written, never where it resolved.
 */
function buildImports(checkoutRoot: string, repoFolders: readonly string[]): Plugin {
  return {
    name: 'gibbon-build-imports',
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const fromEngine = /^@gibbon\/sdk(\/|$)/.test(args.path);
        const result = await builder.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          resolveDir: fromEngine ? engineRoot : args.resolveDir,
          with: args.with,
          pluginData: RESOLVING,
        });
        const byRepository = repoFolders.some((folder) => isInside(folder, args.importer));
        if (fromEngine || !byRepository || result.errors.length > 0 || result.external) {
          return result;
        }
        const landed = await realpath(result.path).catch(() => result.path);
        if (isInside(checkoutRoot, landed)) return result;
        return {
          errors: [
            {
              text:
                `"${args.path}" resolves outside the checkout; a build script may import only ` +
                `its repository's own files (its node_modules included) and @gibbon/sdk`,
            },
          ],
        };
      });
    },
  };
}

function sdkFolder(): Promise<string> {
  return packageFolder('@gibbon/sdk', engineRoot);
}

/**
 * Compiles a build script into one CommonJS file with esbuild (bundled, platform node) and
 * returns its path. Bundles are cached by fingerprint, so an unchanged script starts without
 * compiling. A compile error is an UnprocessableError with esbuild's messages.
 */
export async function compileBuildScript({
  scriptPath,
  checkoutDir,
  cacheDir,
}: CompileOptions): Promise<string> {
  const sdk = await sdkFolder();
  // esbuild works in the script's real folder: input paths in its metafile and module names
  // in the bundle are relative to it, the same for every checkout of the same files.
  const scriptFolder = await realpath(dirname(scriptPath));
  const checkoutRoot = await realpath(checkoutDir);
  const entry = entrySource(basename(scriptPath));
  // From a source checkout the SDK's TypeScript is bundled; an installed engine uses its dist.
  const conditions = existsSync(join(sdk, 'src', 'index.ts')) ? ['@gibbon/source'] : [];
  const settings = { BUNDLE_RECIPE, esbuildVersion, conditions, entry };
  const hash = await scriptFingerprint(scriptFolder, sdk, settings);
  const bundlePath = join(cacheDir, `${hash}.cjs`);
  const inputListPath = join(cacheDir, `${hash}.inputs.json`);
  if (existsSync(bundlePath) && (await inputsUnchanged(inputListPath, scriptFolder))) {
    return bundlePath;
  }
  await mkdir(cacheDir, { recursive: true });
  const partial = `${bundlePath}.${process.pid}.${randomUUID()}.tmp`;
  let inputs: string[];
  try {
    const { metafile } = await build({
      stdin: { contents: entry, resolveDir: scriptFolder, loader: 'ts' },
      absWorkingDir: scriptFolder,
      metafile: true,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions,
      plugins: [buildImports(checkoutRoot, [checkoutRoot, scriptFolder])],
      outfile: partial,
      logLevel: 'silent',
      // Start-up time is parse time: no inline source map, whitespace and syntax minified, but
      // names kept so a user's stack trace still says which of their functions threw.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
    });
    inputs = Object.keys(metafile.inputs);
  } catch (error) {
    await rm(partial, { force: true });
    const errors = (
      error as { errors?: { text: string; location?: { file: string; line: number } }[] }
    ).errors;
    const details = errors?.map((e) =>
      e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text,
    );
    throw new UnprocessableError(
      `The build script does not compile: ${details?.join('; ') ?? String(error)}`,
      { cause: error },
    );
  }
  const bundled = await bundledPackageFolders(sdk);
  // The list first: a bundle in the cache always has its list beside it.
  await writeInputList(inputListPath, await uncoveredInputs(inputs, scriptFolder, bundled));
  await rename(partial, bundlePath);
  return bundlePath;
}
