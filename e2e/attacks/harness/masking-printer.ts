/**
 * The C17 printer (e2e/attacks/README.md, attack test 17): a plain Node program, run with
 * `node -e` by `job.sh` in the script's box and as a container job's command, that prints each
 * secret named in `PRINT_NAMES` (values in the environment under those names) in every form a
 * masker must catch. Each form is one labelled line, `<NAME> <label>: <form>`, so the test can
 * check that every label came back with `***` in it.
 */

/** The labels every secret is printed under (a multi-line secret's lines are added per line). */
export const printedLabels = [
  'raw',
  'trailing newline',
  'base64',
  'basic auth',
  'url',
  'json',
  'split 1 ms',
  'stderr',
  'stderr split',
  'long line',
] as const;

/** Printed for the first secret only: the halves of the value 1.5 s apart (past the 1 s flush). */
export const slowSplitLabel = 'split past the flush';

/**
 * The characters before the value on a `long line`: the value then straddles character 65,536
 * of the line, where the engine cuts a long line and the runner cuts a 64 KiB log chunk.
 */
export function longLinePadding(name: string, value: string): number {
  return 65_536 - `${name} long line: `.length - Math.floor(value.length / 2);
}

export const printerSource = String.raw`
const wait = (ms) => new Promise((done) => setTimeout(done, ms));
const to = (stream) => (text) => new Promise((done) => stream.write(text, done));
const out = to(process.stdout);
const err = to(process.stderr);
const b64 = (text) => Buffer.from(text).toString('base64');
(async () => {
  const names = (process.env.PRINT_NAMES || '').split(',');
  for (const [index, name] of names.entries()) {
    const v = process.env[name];
    if (!v) throw new Error('printer: no value in ' + name);
    const half = Math.floor(v.length / 2);
    const at = (label) => name + ' ' + label + ': ';
    await out(at('raw') + v);
    await out('\n' + at('trailing newline') + v + '\n');
    await out(at('base64') + b64(v) + '\n');
    await out(at('basic auth') + 'Basic ' + b64('user:' + v) + '\n');
    await out(at('url') + encodeURIComponent(v) + '\n');
    await out(at('json') + JSON.stringify({ token: v }) + '\n');
    await out(at('split 1 ms') + v.slice(0, half));
    await wait(1);
    await out(v.slice(half) + '\n');
    await out('interleaved stdout before\n');
    await err(at('stderr') + v + '\n');
    await err(at('stderr split') + v.slice(0, half));
    await out('interleaved stdout between\n');
    await err(v.slice(half) + '\n');
    await out('interleaved stdout after\n');
    const padding = 65536 - at('long line').length - half;
    await out(at('long line') + 'x'.repeat(padding) + v + 'y'.repeat(300) + '\n');
    if (index === 0) {
      await out(at('${slowSplitLabel}') + v.slice(0, half));
      await wait(1500);
      await out(v.slice(half) + '\n');
    }
    const lines = v.split('\n').filter((line) => line.length > 0);
    if (lines.length > 1) {
      for (const [number, line] of lines.entries()) await out(at('line ' + number) + line + '\n');
    }
  }
})().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
`;
