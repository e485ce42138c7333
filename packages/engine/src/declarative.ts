/**
 * `@gibbon/engine/declarative`: reading declarative build files (`.gibbon/build.yaml|yml|json`,
 * `.monkeyci/build.*`) into jobs, with the position of every job and field. An entry of its
 * own because it brings the YAML parser, which builds written in TypeScript never need: the
 * engine and `gibbon verify` import it on the first declarative file.
 */
export {
  describeProblem,
  MONKEYCI_FIELD_NAMES,
  parseDeclarative,
  parseDeclarativeFiles,
  sdkFieldName,
  type DeclarativeFilesParse,
  type DeclarativeSource,
  type DeclarativeParse,
  type DeclarativeProblem,
  type DeclaredJob,
  type SourcePosition,
} from './script-host/declarative-parse';
export { readDeclarativeFiles } from './script-host/declarative-read';
