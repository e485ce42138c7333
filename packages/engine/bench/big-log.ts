import { JobLog } from '../src/logs/job-log';
import type { LogEntry, LogSink } from '../src/logs/log-sink';
import { Masker } from '../src/masking/masker';
import type { DockerBackend } from '../src/containers/docker/docker-backend';
import { runContainerJob } from '../src/containers/run-container-job';
import { ms, timed } from './stats';

const MIB = 1024 * 1024;
const TOTAL_MIB = 200;
const LINE = 'x'.repeat(1023);

/** Counts what a storing sink would receive, without keeping it: the engine must not buffer. */
class CountingSink implements LogSink {
  lines = 0;
  bytes = 0;
  write(entry: LogEntry): void {
    this.lines += 1;
    this.bytes += entry.text.length + 1;
  }
}

export async function benchBigLog(backend: DockerBackend, image: string, checkoutDir: string) {
  const lines = (TOTAL_MIB * MIB) / (LINE.length + 1);
  const program = `const l='${LINE}\\n'.repeat(64);let n=${lines / 64};function w(){while(n>0){n--;if(!process.stdout.write(l))return process.stdout.once('drain',w)}}w()`;
  const masker = new Masker();
  masker.register('a-secret-that-never-appears');
  const sink = new CountingSink();
  const log = new JobLog('big', masker, sink);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const spec = {
    buildId: 'bench',
    jobId: 'big',
    image,
    checkoutDir,
    command: ['node', '-e', program],
  };
  const elapsed = await timed(() => runContainerJob(backend, spec, { log, stopGraceSeconds: 1 }));
  clearInterval(sampler);
  log.close();
  const complete = sink.lines === lines && sink.bytes === TOTAL_MIB * MIB;
  console.log(`A job writing ${TOTAL_MIB} MiB to stdout (masker on):`);
  console.log(
    `  lines ${sink.lines} of ${lines}, bytes ${sink.bytes}: ${complete ? 'complete' : 'INCOMPLETE'}`,
  );
  console.log(`  time ${ms(elapsed)}, ${((TOTAL_MIB * 1000) / elapsed).toFixed(1)} MiB/s`);
  console.log(`  peak RSS growth ${((peak - baseline) / MIB).toFixed(1)} MiB (target < 100 MiB)`);
}
