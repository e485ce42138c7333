import { testContext } from '../../test/context';
import { InMemoryScriptApi } from '../../test/in-memory-script-api';
import { action } from '../jobs';
import { pipeline } from '../pipeline';
import { runBuild } from './run-build';

const deps = (api: InMemoryScriptApi) => ({
  api,
  checkout: process.cwd(),
  baseEnv: { PATH: process.env.PATH },
  signal: new AbortController().signal,
  note: () => undefined,
});

function deployPipeline(seen: string[]) {
  return pipeline(
    { inputs: { target: { type: 'choice', options: ['staging', 'production'], required: true } } },
    [action('deploy', (job) => void seen.push(String(job.ctx.inputs.target)))],
  );
}

describe('runBuild with inputs', () => {
  it('gives action jobs the checked inputs', async () => {
    const seen: string[] = [];
    const api = new InMemoryScriptApi(undefined, {
      ...testContext(),
      inputs: { target: 'staging' },
    });
    const outcome = await runBuild({ default: deployPipeline(seen) }, deps(api));
    expect(outcome.status).toBe('success');
    expect(seen).toEqual(['staging']);
  });

  it('errors before any job runs when an input is not allowed, naming it', async () => {
    const seen: string[] = [];
    const api = new InMemoryScriptApi(undefined, { ...testContext(), inputs: { target: 'qa' } });
    const outcome = await runBuild({ default: deployPipeline(seen) }, deps(api));
    expect(outcome).toMatchObject({
      status: 'error',
      message: expect.stringContaining(
        'input "target" must be one of "staging", "production", not "qa"',
      ) as string,
    });
    expect(seen).toEqual([]);
    expect(api.events).toEqual([
      expect.objectContaining({ type: 'script.ended', status: 'error', message: outcome.message }),
    ]);
  });
});
