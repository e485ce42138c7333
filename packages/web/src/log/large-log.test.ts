import { LogModel } from './model';

const lineCount = 100_000;
const chunkSize = 64 * 1024;

/** Line `n` of the big log: coloured, about 105 characters with its `\n`. */
function bigLine(number: number): string {
  const label = `\x1b[32mstep ${String(number).padStart(6, '0')}\x1b[0m`;
  return `${label} ${'x'.repeat(84)} \x1b[1mok\x1b[22m\n`;
}

describe('a 10 MiB log', () => {
  it('is parsed from 64 KiB chunks into its 100,000 lines', () => {
    const log = Array.from({ length: lineCount }, (_, index) => bigLine(index + 1)).join('');
    expect(log.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const model = new LogModel();
    const started = performance.now();
    for (let offset = 0; offset < log.length; offset += chunkSize) {
      model.append(log.slice(offset, offset + chunkSize));
    }
    model.finish();
    const elapsed = performance.now() - started;
    // Printed for whoever watches performance; never asserted (timings vary by machine).
    console.log(`10 MiB log: ${lineCount} lines in ${elapsed.toFixed(0)} ms`);
    expect(model.lines).toHaveLength(lineCount);
    const last = model.lines[lineCount - 1];
    expect(last?.plain).toBe(`step 100000 ${'x'.repeat(84)} ok`);
    expect(last?.spans.map((span) => span.classes)).toEqual(
      [['fg-green'], [], ['bold'], []].slice(0, 3),
    );
  });
});
