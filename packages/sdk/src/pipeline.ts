/**
 * `pipeline()`, which marks a build script's default export (spec section 2). With one
 * argument it returns the definition unchanged (it exists for types); with `{ inputs }` first
 * it also declares the inputs a build takes, and types `ctx.inputs` after that declaration.
 */
import type { BuildContext } from './context';
import { checkInputDeclarations, type InputDeclarations, type InputValues } from './inputs';
import type { DeclaredPipeline, JobList, PipelineDefinition } from './jobs';

/** The context of a pipeline declaring `Declared`: `ctx.inputs` typed after the declaration. */
export type InputsContext<Declared extends InputDeclarations> = Omit<BuildContext, 'inputs'> & {
  readonly inputs: InputValues<Declared>;
};

export interface PipelineOptions<Declared extends InputDeclarations> {
  readonly inputs: Declared;
}

export function pipeline<T extends PipelineDefinition>(definition: T): T;
export function pipeline<const Declared extends InputDeclarations>(
  options: PipelineOptions<Declared>,
  definition: JobList | ((ctx: InputsContext<Declared>) => JobList | Promise<JobList>),
): DeclaredPipeline;
export function pipeline(first: unknown, second?: unknown): unknown {
  if (second === undefined) return first;
  const inputs = (first as Partial<PipelineOptions<InputDeclarations>> | null)?.inputs;
  checkInputDeclarations(inputs);
  // The runtime calls `definition` with `ctx.inputs` checked against `inputs` (resolve.ts), so
  // the narrower context type the caller wrote against holds.
  const definition = second as DeclaredPipeline['definition'];
  return Object.freeze({ kind: 'pipeline', inputs: Object.freeze({ ...inputs }), definition });
}
