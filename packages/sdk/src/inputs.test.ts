import { testContext } from '../test/context';
import { action } from './jobs';
import { pipeline } from './pipeline';
import { checkInputDeclarations, resolveInputs, type InputDeclarations } from './inputs';
import { resolvePipeline } from './resolve';

const declared = {
  target: { type: 'choice', options: ['staging', 'production'], required: true },
  dryRun: { type: 'boolean', default: false },
  replicas: { type: 'number' },
  note: { type: 'string', description: 'Why this deploy' },
} as const satisfies InputDeclarations;

describe('resolveInputs', () => {
  it('takes values of the declared types and fills in defaults', () => {
    expect(resolveInputs(declared, { target: 'staging', replicas: 3 })).toEqual({
      target: 'staging',
      dryRun: false,
      replicas: 3,
    });
  });

  it('reads text given for a number or boolean input as that type, as the CLI sends it', () => {
    expect(
      resolveInputs(declared, { target: 'production', dryRun: 'true', replicas: '2.5' }),
    ).toEqual({ target: 'production', dryRun: true, replicas: 2.5 });
    expect(() => resolveInputs(declared, { target: 'staging', dryRun: 'yes' })).toThrow(
      'input "dryRun" must be a boolean, not "yes"',
    );
    expect(() => resolveInputs(declared, { target: 'staging', replicas: ' ' })).toThrow(
      'input "replicas" must be a number, not " "',
    );
  });

  it('refuses a value outside a choice, naming the input and its options', () => {
    expect(() => resolveInputs(declared, { target: 'qa' })).toThrow(
      'input "target" must be one of "staging", "production", not "qa"',
    );
  });

  it('refuses an unknown name, a wrong type and a missing required input in one message', () => {
    let message = '';
    try {
      resolveInputs(declared, { colour: 'red', replicas: 'three' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"colour" is not an input of this pipeline');
    expect(message).toContain('input "replicas" must be a number, not "three"');
    expect(message).toContain('input "target" is required (one of "staging", "production")');
    expect(message).toContain(
      'The pipeline takes: target (one of "staging", "production", required)',
    );
  });

  it('refuses every input of a pipeline that declares none', () => {
    expect(() => resolveInputs({}, { target: 'staging' })).toThrow(
      /"target" is not an input of this pipeline.*declares no inputs/,
    );
  });
});

describe('checkInputDeclarations', () => {
  it('refuses a choice without options, an unknown type and a default of the wrong type', () => {
    expect(() =>
      checkInputDeclarations({
        a: { type: 'choice', options: [] },
        b: { type: 'date' },
        c: { type: 'number', default: 'x' },
        'bad name': { type: 'string' },
      }),
    ).toThrow(
      /input "a" is a choice and needs options.*input "b" needs a type.*the default of input "c" must be a number.*input name "bad name" is not valid/,
    );
  });
});

describe('pipeline({ inputs }, ...)', () => {
  it('resolves with ctx.inputs checked and typed, and fails on bad inputs before the jobs', async () => {
    const seen: string[] = [];
    const definition = pipeline({ inputs: declared }, (ctx) => {
      // Typed after the declaration: `target` is 'staging' | 'production', always present.
      const target: 'staging' | 'production' = ctx.inputs.target;
      const replicas: number | undefined = ctx.inputs.replicas;
      seen.push(`${target}:${String(replicas)}:${String(ctx.inputs.dryRun)}`);
      return [action('deploy', () => undefined)];
    });
    const jobs = await resolvePipeline(definition, {
      ...testContext(),
      inputs: { target: 'production' },
    });
    expect(jobs.map((job) => job.id)).toEqual(['deploy']);
    expect(seen).toEqual(['production:undefined:false']);
    await expect(resolvePipeline(definition, testContext())).rejects.toThrow(
      'input "target" is required',
    );
    expect(seen).toHaveLength(1);
  });

  it('checks the declaration when the script loads', () => {
    expect(() => pipeline({ inputs: { x: { type: 'choice', options: [] } } }, [])).toThrow(
      'input "x" is a choice and needs options',
    );
  });
});
