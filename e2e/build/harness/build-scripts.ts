/**
 * The `.gibbon/build.ts` of each branch of the e2e repository. The test image's tag is written
 * into the script (the image exists only on this Docker engine; `docker pull` cannot work here).
 */

const header = `import { container, pipeline } from '@gibbon/sdk';\n`;

/** Two container jobs (one saves an artifact) and an action job that shows what parameters it sees. */
export function releaseScript(image: string): string {
  return `import { action, container, pipeline } from '@gibbon/sdk';
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('compile', {
    image,
    script: [
      'echo compiling the e2e project',
      'mkdir -p dist',
      'printf "built by gibbon\\\\n" > dist/hello.txt',
      'echo compile finished',
    ],
    saveArtifacts: [{ id: 'dist', path: 'dist' }],
  }),
  container('test', {
    image,
    script: ['echo all 3 tests passed'],
    dependsOn: ['compile'],
  }),
  action('secrets', async (job) => {
    const params = await job.params();
    job.log(\`params visible: \${Object.keys(params).length}\`);
    const canary = params.CANARY;
    if (canary === undefined) {
      job.log('canary: absent');
      return;
    }
    job.log(\`plain \${canary}\`);
    job.log(\`base64 \${Buffer.from(canary).toString('base64')}\`);
    job.log(\`url \${encodeURIComponent(canary)}\`);
    job.log(\`json \${JSON.stringify({ canary })}\`);
    await job.sh(['sh', '-c', 'echo "sh $CANARY"'], { env: { CANARY: canary } });
    job.log('canary: present');
  }),
]);
`;
}

/** A job that exits 3 and one that depends on it (skipped). */
export function failingScript(image: string): string {
  return `${header}
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('unit', { image, script: ['echo running unit tests', 'exit 3'] }),
  container('deploy', { image, script: ['echo deploying'], dependsOn: ['unit'] }),
]);
`;
}

/** One container job printing `tick 1` … `tick <count>`, one every `everySeconds`. */
export function tickingScript(image: string, count: number, everySeconds: number): string {
  return `${header}
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('ticks', {
    image,
    script: [
      'for i in $(seq 1 ${count}); do echo "tick $i"; sleep ${everySeconds}; done',
      'echo ticking done',
    ],
  }),
]);
`;
}

/** `build`, then `deploy`, which waits for a person's approval (`approval: true`). */
export function approvalScript(image: string): string {
  return `${header}
const image = ${JSON.stringify(image)};

export default pipeline(() => [
  container('build', { image, script: ['echo built'] }),
  container('deploy', {
    image,
    script: ['echo deployed'],
    dependsOn: ['build'],
    approval: true,
  }),
]);
`;
}

/** One container job that prints `text`. */
export function echoScript(image: string, text: string): string {
  return `${header}
export default pipeline(() => [
  container('say', { image: ${JSON.stringify(image)}, command: ['echo', ${JSON.stringify(text)}] }),
]);
`;
}

/** A script that throws while it is loaded: no job runs, the build is an `error`. */
export function throwingScript(): string {
  return `import { pipeline } from '@gibbon/sdk';

export default pipeline(() => {
  throw new Error('no pipeline today: the config file is missing');
});
`;
}

/** The benchmark's build: one container job running \`true\`. */
export function trueScript(image: string): string {
  return `${header}
export default pipeline(() => [container('true', { image: ${JSON.stringify(image)}, command: ['true'] })]);
`;
}
