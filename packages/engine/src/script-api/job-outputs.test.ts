import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobLog } from '../logs/job-log';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { OUTPUT_FILE, readOutputs } from './job-outputs';

// $GIBBON_OUTPUT is written by the container: the runner reads it as a plain file or not at all.
describe('readOutputs', () => {
  let folder: string;
  let sink: MemoryLogSink;
  let log: JobLog;
  const masker = new Masker();
  masker.register('s3cr3t-value');
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gibbon-outputs-'));
    sink = new MemoryLogSink();
    log = new JobLog('job', masker, sink);
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));
  const lines = () => (log.close(), sink.linesOf('job'));

  it('reads name=value lines, the last of a name winning, values masked', async () => {
    await writeFile(join(folder, OUTPUT_FILE), 'a=1\r\nb=x=y\n\na=2\ntoken=s3cr3t-value\n');
    expect(await readOutputs(folder, masker, log)).toEqual({ a: '2', b: 'x=y', token: '***' });
    expect(lines()).toEqual([]);
  });

  it('keeps none of a file over 64 KiB, and says so', async () => {
    await writeFile(join(folder, OUTPUT_FILE), `big=${'x'.repeat(70_000)}\n`);
    expect(await readOutputs(folder, masker, log)).toBeUndefined();
    expect(lines()).toEqual([
      'Outputs not kept: $GIBBON_OUTPUT holds 70005 bytes, over the 65536-byte limit.',
    ]);
  });

  it('does not wait on a FIFO in place of the file', async () => {
    execFileSync('mkfifo', [join(folder, OUTPUT_FILE)]);
    expect(await readOutputs(folder, masker, log)).toBeUndefined();
    expect(lines()).toEqual(['Outputs not read: $GIBBON_OUTPUT is not a plain file.']);
  });

  it('answers nothing when the job wrote no file', async () => {
    expect(await readOutputs(folder, masker, log)).toBeUndefined();
    expect(lines()).toEqual([]);
  });
});
