/**
 * What a test hands the testing API: the build script's module (`import * as build from
 * './build'`, or `require('./build')`) or its default export itself.
 */
import { loadDefinition } from '../runtime/load-definition';

function isModule(value: unknown): value is { default?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // A job is an object too; a module is an object that is not one and carries `default`.
  return !('kind' in value) && ('default' in value || '__esModule' in value);
}

/** The pipeline definition (a job, a list or a function of the context). */
export function definitionOf(scriptModuleOrDefinition: unknown): Promise<unknown> {
  if (isModule(scriptModuleOrDefinition)) return loadDefinition(scriptModuleOrDefinition);
  return Promise.resolve(scriptModuleOrDefinition);
}
