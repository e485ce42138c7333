import { dirname, join } from 'node:path';
import ts from 'typescript';
import { located, ScriptProblems } from './problem';

/** `@gibbon/sdk` as the CLI resolves it: its sources in the workspace, else its `.d.ts`. */
function sdkEntry(): string {
  const resolved = require.resolve('@gibbon/sdk');
  return resolved.replace(/\.js$/, '.d.ts');
}

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

function describe(diagnostic: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  if (!diagnostic.file || diagnostic.start === undefined)
    return `error TS${diagnostic.code}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return located(
    diagnostic.file.fileName,
    { line: line + 1, column: character + 1 },
    `error TS${diagnostic.code}: ${text}`,
  );
}

/**
 * Type-checks a TypeScript build script against the SDK's types (strict), the way an editor
 * would. Only problems in the repository's own files count: the SDK is the engine's, not the
 * user's. Throws ScriptProblems listing each error with its position.
 */
export function typeCheckScript(scriptPath: string): void {
  const program = ts.createProgram([scriptPath], compilerOptions());
  const sdkRoot = join(dirname(sdkEntry()), '..');
  const ownFile = (file: ts.SourceFile | undefined): boolean =>
    !file || (!file.fileName.startsWith(sdkRoot) && !file.fileName.includes('/node_modules/'));
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && ownFile(d.file));
  if (diagnostics.length > 0) throw new ScriptProblems('types', diagnostics.map(describe));
}
