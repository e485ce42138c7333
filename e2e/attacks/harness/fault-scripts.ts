/**
 * Build scripts of the reliability family (plan G): a noisy job whose every line is numbered,
 * so a lost, repeated or reordered chunk shows, and jobs that store an artifact whose digest
 * they print, so a download can be checked against what the job wrote. The test image's tag is
 * written in (it exists only on this Docker engine).
 */

const header = `import { container, pipeline } from '@gibbon/sdk';\n`;

/** The lines `line 1` … `line <count>` a noisy job prints, in order. */
export function noisyLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${i + 1}`);
}

/**
 * One job (`noise`) printing `line 1` … `line <count>`, `perTick` lines every `everySeconds`
 * (busybox `sleep` takes fractions), then `noise done`.
 */
export function noisyScript(
  image: string,
  count: number,
  options: { everySeconds: number; perTick?: number },
): string {
  const perTick = options.perTick ?? 1;
  return `${header}
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('noise', {
    image,
    script: [
      'i=0; while [ $i -lt ${count} ]; do i=$((i+1)); echo "line $i"; if [ $((i % ${perTick})) -eq 0 ]; then sleep ${options.everySeconds}; fi; done',
      'echo noise done',
    ],
  }),
]);
`;
}

/**
 * `noise` as above, beside `package`: writes `megabytes` MiB of random bytes to
 * `dist/blob.bin` (above 5 MiB the upload is multipart), prints `sha256 <hex>` of it and
 * saves `dist` as artifact `dist`; `deploy` restores it and prints `deployed <hex>`.
 */
export function artifactScript(
  image: string,
  options: { megabytes: number; noiseLines: number; everySeconds: number },
): string {
  return `${header}
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('noise', {
    image,
    script: [
      'i=0; while [ $i -lt ${options.noiseLines} ]; do i=$((i+1)); echo "line $i"; sleep ${options.everySeconds}; done',
      'echo noise done',
    ],
  }),
  container('package', {
    image,
    script: [
      'mkdir -p dist',
      'head -c ${options.megabytes * 1024 * 1024} /dev/urandom > dist/blob.bin',
      'echo "sha256 $(sha256sum dist/blob.bin | cut -d" " -f1)"',
    ],
    saveArtifacts: [{ id: 'dist', path: 'dist' }],
  }),
  container('deploy', {
    image,
    dependsOn: ['package'],
    // The checkout is shared between jobs: the copy goes to a folder of its own.
    restoreArtifacts: [{ id: 'dist', path: 'restored' }],
    script: ['echo "deployed $(sha256sum restored/blob.bin | cut -d" " -f1)"'],
  }),
]);
`;
}

/** The job's log lines without the shell's `+ ` trace lines and blank lines. */
export function outputLines(log: string): string[] {
  return log.split('\n').filter((line) => line !== '' && !line.startsWith('+ '));
}

/**
 * `count` action jobs (`job-1` …), all independent, each logging `<id> started`, waiting
 * `waitMs` and logging `<id> done`: the cheapest build that still runs a script and its jobs.
 */
export function actionJobsScript(count: number, waitMs: number): string {
  return `import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() =>
  Array.from({ length: ${count} }, (_, i) => {
    const id = \`job-\${i + 1}\`;
    return action(id, async (job) => {
      job.log(\`\${id} started\`);
      await new Promise((done) => setTimeout(done, ${waitMs}));
      job.log(\`\${id} done\`);
    });
  }),
);
`;
}
