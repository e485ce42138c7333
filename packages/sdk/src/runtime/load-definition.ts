/**
 * What the engine's bundle hands the runtime: the user's module, or a function that loads it
 * (so an exception thrown while the script loads is caught and reported as a build error
 * instead of crashing the process before the runtime runs).
 */
export type ScriptModule = { readonly default?: unknown } | object;
export type ScriptModuleLoader = () => unknown;

/** The build script's default export. */
export async function loadDefinition(
  moduleOrLoader: ScriptModule | ScriptModuleLoader,
): Promise<unknown> {
  const loaded: unknown =
    typeof moduleOrLoader === 'function'
      ? await (moduleOrLoader as ScriptModuleLoader)()
      : moduleOrLoader;
  if (typeof loaded !== 'object' || loaded === null) return undefined;
  return (loaded as { default?: unknown }).default;
}
