import { dirname, relative } from 'node:path';
import ts from 'typescript';
import { sdkEntry, sdkPackageRoot } from './sdk-location';
import { located, ScriptProblems } from './problem';

/** Where `@types/node` lives, so `node:` imports in a script type-check without installing. */
function nodeTypesRoot(): string {
  return dirname(dirname(require.resolve('@types/node/package.json')));
}

function compilerOptions(): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    customConditions: ['@gibbon/source'],
    typeRoots: [nodeTypesRoot()],
    types: ['node'],
    paths: { '@gibbon/sdk': [sdkEntry()] },
  };
}

function describe(diagnostic: ts.Diagnostic, checkoutDir: string): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  if (!diagnostic.file || diagnostic.start === undefined)
    return `error TS${diagnostic.code}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return located(
    relative(checkoutDir, diagnostic.file.fileName),
    { line: line + 1, column: character + 1 },
    `error TS${diagnostic.code}: ${text}`,
  );
}

/**
 * Type-checks a TypeScript build script against the SDK's types (strict), the way an editor
 * would. Only problems in the repository's own files count: the SDK is the engine's, not the
 * user's. Throws ScriptProblems listing each error with its position, relative to
 * `checkoutDir` (a real path, like `scriptPath`).
 */
export function typeCheckScript(scriptPath: string, checkoutDir: string): void {
  const program = ts.createProgram([scriptPath], compilerOptions());
  const sdkRoot = sdkPackageRoot();
  const ownFile = (file: ts.SourceFile | undefined): boolean =>
    !file || (!file.fileName.startsWith(sdkRoot) && !file.fileName.includes('/node_modules/'));
  // Only the repository's files are checked: the checker then looks into the SDK just as far
  // as the script uses it, instead of type-checking all of its sources.
  const diagnostics = program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && ownFile(file))
    .flatMap((file) => [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ])
    .filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0)
    throw new ScriptProblems(
      'types',
      diagnostics.map((d) => describe(d, checkoutDir)),
    );
}
