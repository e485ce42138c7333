import { execFile } from 'node:child_process';

/**
 * The fraction of `path` resident in the page cache, from util-linux `fincore`; `undefined`
 * where `fincore` is missing. The benchmark checks it before every timed step so that `cp` and
 * the stores are compared reading from the same cache state (all cached), not one from disk.
 */
export function residentFraction(path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      'fincore',
      ['--bytes', '--noheadings', '--raw', '-o', 'RES,SIZE', path],
      (error, out) => {
        const [resident, size] = out.trim().split(/\s+/).map(Number);
        if (error || resident === undefined || !size) {
          resolve(undefined);
          return;
        }
        resolve(resident / size);
      },
    );
  });
}
