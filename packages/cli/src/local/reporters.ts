import type { ScriptEvent } from '@gibbon/contracts';
import type { BuildOutcome, LogEntry } from '@gibbon/engine';
import { writeLine } from '../io';
import { JobStates, progressLine } from './job-states';
import { terminalSafe } from './terminal-text';

/**
 * How `gibbon run` shows a build. Lifecycle: `event()` and `log()` any number of times, in the
 * order the engine produces them, then `finish()` once with the outcome.
 */
export interface RunReporter {
  event(event: ScriptEvent): void;
  log(entry: LogEntry): void;
  finish(outcome: BuildOutcome): void;
}

type Out = NodeJS.WritableStream & { columns?: number };

/** The build script's own log (`_script`) is shown as `gibbon`: it is the engine speaking. */
function prefixOf(jobId: string): string {
  return jobId === '_script' ? 'gibbon' : jobId;
}

function summaryLine(outcome: BuildOutcome): string {
  const text = `Build ${outcome.status}`;
  return outcome.message ? `${text}: ${outcome.message}` : text;
}

/** `--json`: every event and log line as one JSON object per line, then `build.ended`. */
export class JsonReporter implements RunReporter {
  constructor(private readonly out: Out) {}

  event(event: ScriptEvent): void {
    writeLine(this.out, JSON.stringify(event));
  }

  log(entry: LogEntry): void {
    const { jobId, seq, stream, text, at } = entry;
    writeLine(
      this.out,
      JSON.stringify({ type: 'log', jobId, seq, stream, text, at: at.toISOString() }),
    );
  }

  finish(outcome: BuildOutcome): void {
    const { status, message, jobs } = outcome;
    writeLine(this.out, JSON.stringify({ type: 'build.ended', status, message, jobs }));
  }
}

/** Not a terminal (CI logs, pipes): a line per job state change, output lines prefixed. */
export class PlainReporter implements RunReporter {
  protected readonly states = new JobStates();
  protected idWidth = 6;

  constructor(protected readonly out: Out) {}

  event(event: ScriptEvent): void {
    const job = this.states.apply(event);
    if (!job) return;
    this.idWidth = Math.max(this.idWidth, job.jobId.length);
    if (job.status === 'pending' || job.status === 'queued') return;
    this.print(progressLine(job, this.idWidth));
  }

  log(entry: LogEntry): void {
    this.print(`${prefixOf(entry.jobId).padEnd(this.idWidth)} | ${entry.text}`);
  }

  finish(outcome: BuildOutcome): void {
    this.print(summaryLine(outcome));
  }

  protected print(line: string): void {
    writeLine(this.out, line);
  }
}

/**
 * A terminal: output lines scroll above a block of one line per job (state and a live
 * duration), which is erased and redrawn in place on every change and every tick.
 */
export class TtyReporter extends PlainReporter {
  private drawnLines = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(out: Out) {
    super(out);
    this.timer = setInterval(() => this.redraw([]), 200);
    this.timer.unref();
  }

  override event(event: ScriptEvent): void {
    const job = this.states.apply(event);
    if (job) this.idWidth = Math.max(this.idWidth, job.jobId.length);
    this.redraw([]);
  }

  override log(entry: LogEntry): void {
    this.redraw([`${prefixOf(entry.jobId).padEnd(this.idWidth)} │ ${terminalSafe(entry.text)}`]);
  }

  override finish(outcome: BuildOutcome): void {
    clearInterval(this.timer);
    this.redraw([]);
    this.drawnLines = 0;
    writeLine(this.out, summaryLine(outcome));
  }

  private redraw(above: string[]): void {
    // A pseudo-terminal may report 0 columns: then assume the usual 80.
    const width = Math.max(20, this.out.columns || 80);
    const block = this.states
      .all()
      .map((job) => progressLine(job, this.idWidth).slice(0, width - 1));
    const erase = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[0J` : '';
    const text = [...above, ...block].map((line) => `${line}\n`).join('');
    this.out.write(`${erase}${text}`);
    this.drawnLines = block.length;
  }
}
