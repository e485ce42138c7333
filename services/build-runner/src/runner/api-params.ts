import type { ParamProvider, ParamValue } from '@gibbon/engine/script-api';
import type { BuildApi } from '../runner-api/runner-api';

/**
 * A build's parameters from public-api, fetched once on first use with the build token and
 * kept for the build's life (in memory only, never on disk). The Script API masks every value
 * it hands out and never asks for an untrusted build; public-api answers those empty anyway.
 */
export class ApiParamProvider implements ParamProvider {
  private values: Promise<ParamValue[]> | undefined;

  constructor(
    private readonly api: Pick<BuildApi, 'params'>,
    private readonly signal: AbortSignal,
  ) {}

  list(): Promise<ParamValue[]> {
    this.values ??= this.api.params(this.signal).then(({ values }) => values);
    // A failed fetch is not kept: the script's next call tries again.
    this.values.catch(() => (this.values = undefined));
    return this.values;
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.list()).find((param) => param.name === name)?.value;
  }
}
