/** One parameter value as the Script API returns it. */
export interface ParamValue {
  name: string;
  value: string;
}

/**
 * Where a build's parameters come from: the runner plugs in public-api (with its build
 * token), `gibbon run` plugs in `--param` values. Called on demand, possibly concurrently;
 * the Script API registers every value it returns with the build's masker and never calls a
 * provider for an untrusted build.
 */
export interface ParamProvider {
  list(): Promise<ParamValue[]>;
  /** Undefined when the build may not see a parameter of that name. */
  get(name: string): Promise<string | undefined>;
}

/** Parameters fixed up front (`gibbon run --param K=V`, tests). */
export class StaticParamProvider implements ParamProvider {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  list(): Promise<ParamValue[]> {
    return Promise.resolve(Object.entries(this.values).map(([name, value]) => ({ name, value })));
  }

  get(name: string): Promise<string | undefined> {
    return Promise.resolve(Object.hasOwn(this.values, name) ? this.values[name] : undefined);
  }
}
