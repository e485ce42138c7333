/**
 * Job outputs: named strings a job sets (`job.setOutput` in an action, `$GIBBON_OUTPUT` in a
 * container) and the jobs after it read (`job.outputs(id)`, or `output(id, name)` in a
 * container's `env`). The executor keeps them per build; an attempt writes through its own
 * collector, kept only when the attempt succeeded.
 */
import { InputError, JOB_OUTPUT_NAME_PATTERN } from '../contracts';

/** All of a job's outputs together; past it `setOutput` throws. */
export const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_OUTPUTS = 100;

/** What an action attempt's job API reads and writes outputs through. */
export interface JobOutputs {
  set(name: string, value: string): void;
  /** The outputs of a job that succeeded; throws naming the job otherwise. */
  of(jobId: string): Readonly<Record<string, string>>;
}

export class OutputBoard {
  private readonly byJob = new Map<string, Readonly<Record<string, string>>>();

  record(jobId: string, outputs: Readonly<Record<string, string>> | undefined): void {
    this.byJob.set(jobId, Object.freeze({ ...outputs }));
  }

  of(jobId: string): Readonly<Record<string, string>> {
    const outputs = this.byJob.get(jobId);
    if (!outputs) {
      throw new InputError(
        `Job "${jobId}" has not succeeded (yet): a job reads the outputs of a job it depends on.`,
      );
    }
    return outputs;
  }

  /** One attempt's outputs, checked as they are set; `collected` once it succeeded. */
  collector(): JobOutputs & { collected(): Record<string, string> } {
    const values: Record<string, string> = {};
    return {
      set: (name, value) => {
        if (typeof name !== 'string' || !JOB_OUTPUT_NAME_PATTERN.test(name)) {
          throw new InputError(
            `setOutput(${JSON.stringify(name)}): an output name is letters, digits and _, starting with a letter or _`,
          );
        }
        if (typeof value !== 'string')
          throw new InputError(`setOutput("${name}"): the value must be a string`);
        const next = { ...values, [name]: value };
        if (Object.keys(next).length > MAX_OUTPUTS) {
          throw new InputError(`setOutput("${name}"): a job keeps at most ${MAX_OUTPUTS} outputs`);
        }
        const bytes = Object.entries(next).reduce(
          (sum, [key, item]) => sum + Buffer.byteLength(key) + Buffer.byteLength(item),
          0,
        );
        if (bytes > MAX_OUTPUT_BYTES) {
          throw new InputError(
            `setOutput("${name}"): a job's outputs take at most ${MAX_OUTPUT_BYTES} bytes in all`,
          );
        }
        values[name] = value;
      },
      of: (jobId) => this.of(jobId),
      collected: () => ({ ...values }),
    };
  }
}
