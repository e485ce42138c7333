import type { Project } from '../build/harness/project';

/**
 * The `.gibbon/build.ts` files the browser tests push. The test image's tag is written in (it
 * exists only on this Docker engine). Shell lines are written raw and embedded as JSON, so
 * busybox's printf is the only thing that reads their escapes.
 */

/** Text that would run if a page ever treated a log line as markup. */
export const hostileLogLines = [
  '<script>window.__pwned = "log script"</script>',
  '<img src=x onerror="window.__pwned = 1; alert(3)">',
  'javascript:alert(5)',
];

function pipelineOf(
  image: string,
  jobs: readonly { id: string; lines: string[]; dependsOn?: string[]; approval?: boolean }[],
): string {
  const declared = jobs.map(
    (job) =>
      `  container(${JSON.stringify(job.id)}, { image, script: ${JSON.stringify(job.lines)}, dependsOn: ${JSON.stringify(job.dependsOn ?? [])}${job.approval ? ', approval: true' : ''} }),`,
  );
  return [
    `import { container, pipeline } from '@gibbon/sdk';`,
    `const image = ${JSON.stringify(image)};`,
    `export default pipeline(() => [`,
    ...declared,
    `]);`,
    '',
  ].join('\n');
}

/** `compile` (a section, colours, a tick a second) then `test`, which depends on it. */
export function liveScript(image: string, ticks: number): string {
  return pipelineOf(image, [
    {
      id: 'compile',
      lines: [
        'echo "::group::Install dependencies"',
        'echo installing 3 packages',
        'echo "::endgroup::"',
        String.raw`printf '\033[32mgreen\033[0m and \033[1;31mbold red\033[0m\n'`,
        `for i in $(seq 1 ${ticks}); do echo "tick $i"; sleep 1; done`,
        'echo compile finished',
      ],
    },
    { id: 'test', lines: ['echo all 3 tests passed'], dependsOn: ['compile'] },
  ]);
}

/** One job printing hostile lines: markup, an OSC 8 hyperlink, a title set, an RTL override. */
export function hostileScript(image: string): string {
  return pipelineOf(image, [
    {
      id: 'hostile',
      lines: [
        ...hostileLogLines.map((line) => `printf '%s\\n' '${line}'`),
        String.raw`printf '\033]8;;javascript:alert(4)\007click me\033]8;;\007\n'`,
        String.raw`printf '\033]0;pwned title\007after the title\n'`,
        String.raw`printf 'abc\342\200\256gnp.exe\n'`,
        'echo hostile done',
      ],
    },
  ]);
}

/** `build`, then `deploy`, which waits for a person's approval, then `announce`. */
export function approvalScript(image: string): string {
  return pipelineOf(image, [
    { id: 'build', lines: ['echo built'] },
    { id: 'deploy', lines: ['echo deployed'], dependsOn: ['build'], approval: true },
    { id: 'announce', lines: ['echo announced'], dependsOn: ['deploy'] },
  ]);
}

/**
 * `lint` saves artifact `dist` and sets output `warnings`; `test` restores it and fails, except in a re-run of the failed
 * jobs (`ctx.build.reuse`), where it passes: a flaky test, fixed by retrying only it.
 */
export function flakyScript(image: string): string {
  return [
    `import { container, pipeline } from '@gibbon/sdk';`,
    `const image = ${JSON.stringify(image)};`,
    `export default pipeline((ctx) => [`,
    `  container('lint', { image, script: ['mkdir -p dist', 'echo linted > dist/lint.txt', 'echo "warnings=3" >> "$GIBBON_OUTPUT"'], saveArtifacts: [{ id: 'dist', path: 'dist' }] }),`,
    `  container('test', { image, dependsOn: ['lint'], restoreArtifacts: [{ id: 'dist', path: 'dist' }], script: ['cat dist/lint.txt', ctx.build.reuse ? 'echo passed this time' : 'exit 1'] }),`,
    `]);`,
    '',
  ].join('\n');
}

/** One job that runs for a minute: there to be canceled. */
export function longScript(image: string): string {
  return pipelineOf(image, [
    { id: 'sleepy', lines: ['for i in $(seq 1 60); do echo "still here $i"; sleep 1; done'] },
  ]);
}

/** `at <ms since the epoch>` every 100 ms, `count` times: for the live log latency. */
export function timedLinesScript(image: string, count: number): string {
  const printer = `let i = 0; const t = setInterval(() => { console.log('at ' + Date.now()); if (++i === ${count}) clearInterval(t); }, 100);`;
  return pipelineOf(image, [{ id: 'timed', lines: [`node -e ${JSON.stringify(printer)}`] }]);
}

/** `lines` lines of about 104 bytes each (`line N xxxx…`): a 10 MiB log at 100,000 lines. */
export function bigLogScript(image: string, lines: number): string {
  const printer = `const pad = 'x'.repeat(90); let out = ''; for (let i = 1; i <= ${lines}; i++) { out += 'line ' + i + ' ' + pad + '\\n'; if (out.length > 65536) { process.stdout.write(out); out = ''; } } process.stdout.write(out);`;
  return pipelineOf(image, [{ id: 'big', lines: [`node -e ${JSON.stringify(printer)}`] }]);
}

/** Commits `script` on main and delivers its signed push; the number of the build it made. */
export async function pushBuild(
  project: Project,
  script: string,
  message?: string,
): Promise<number> {
  const sha = await project.commitScript('main', script, message);
  const delivered = await project.deliverPush('main', sha, message);
  const build = delivered.body.build;
  if (!build) throw new Error(`The push made no build: ${delivered.text}`);
  return build.number;
}
