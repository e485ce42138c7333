import { scriptApiSource } from './script-api-source';

/** What the hostile script aims at: paths and pids the test learned from the running stack. */
export interface BoxTargets {
  /** public-api's data folder (admin token, SQLite file, storage). */
  readonly apiData: string;
  /** The runner's data folder (compile cache) and its work folder (every build's checkout). */
  readonly runnerData: string;
  readonly runnerWork: string;
  readonly runnerPid: number;
  /** The trusted build running beside the attacker: its script's pid, checkout and HOME. */
  readonly trustedPid: number;
  readonly trustedCheckout: string;
  readonly trustedHome: string;
  /** public-api's base URL (a fork's box has no network to reach it). */
  readonly apiUrl: string;
  /** The image of the container job that tries the main branch's cache. */
  readonly image: string;
}

/**
 * The attempts every hostile script makes, by name. Each prints `ATTEMPT <name> ok <what>` when
 * it got something and `ATTEMPT <name> denied <why>` when it did not; the test wants every one
 * run and denied. `sh:` attempts run through `job.sh`, in the same box.
 */
export const BOX_ATTEMPTS = [
  'data:api-admin-token',
  'data:api-sqlite',
  'data:runner-folder',
  'data:runner-work-folder',
  'data:relative-admin-token',
  'proc:1-environ',
  'proc:runner-environ',
  'proc:runner-cmdline',
  'proc:runner-mem',
  'proc:trusted-script-environ',
  'proc:foreign-processes',
  'trusted:checkout-file',
  'trusted:home-git-credentials',
  'trusted:home-docker-config',
  'trusted:tmp-file',
  'env:runner-token',
  'docker:socket',
  'sys:unshare-user',
  'sys:mount',
  'sys:nsenter-pid-1',
  'api:guessed-admin-token',
  'api:claim-with-script-token',
  'script-api:claim',
  'sh:api-admin-token',
  'sh:trusted-checkout-file',
  'sh:runner-environ',
  'sh:foreign-processes',
  'cache:main-branch',
] as const;

/**
 * `.gibbon/build.ts` of a trusted build that holds a canary where a neighbour could look for
 * it (its checkout, HOME, /tmp; a marker in a cache), then says where it is and waits until the test
 * writes `release` into its checkout (or four minutes pass).
 */
export function holderScript(image: string, canary: string, cacheMarker: string): string {
  return `
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('prepare', async (job) => {
    const secret = await job.param(${JSON.stringify(canary)});
    if (!secret) throw new Error('no canary');
    const home = process.env.HOME ?? '';
    writeFileSync('secret.txt', secret);
    mkdirSync('deps', { recursive: true });
    // Not the canary itself: a cache is stored as written (the plan's test 20), and the scan
    // would rightly find it there. What matters is whether a neighbour can restore it.
    writeFileSync('deps/token', ${JSON.stringify(cacheMarker)});
    mkdirSync(home + '/.docker', { recursive: true });
    writeFileSync(home + '/.docker/config.json', JSON.stringify({ auths: { x: { auth: secret } } }));
    writeFileSync(home + '/.git-credentials', 'https://ci:' + secret + '@git.example.test\\n');
    writeFileSync('/tmp/x', secret);
  }),
  container('save', {
    image: ${JSON.stringify(image)},
    script: ['test -s deps/token'],
    caches: [{ id: 'deps', path: 'deps' }],
    network: 'none',
    dependsOn: ['prepare'],
  }),
  action('hold', async (job) => {
    job.log('READY checkout=' + process.cwd() + ' home=' + process.env.HOME);
    for (let i = 0; i < 480 && !existsSync('release'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    job.log(existsSync('release') ? 'released' : 'never released');
  }, { dependsOn: ['save'] }),
]);
`;
}

/** `.gibbon/build.ts` that makes every attempt of `BOX_ATTEMPTS` against `targets`. */
export function attackerScript(targets: BoxTargets): string {
  return `
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { action, container, pipeline } from '@gibbon/sdk';
${scriptApiSource}
const T = ${JSON.stringify(targets)};

function why(error: unknown): string {
  const { code, status, stderr } = error as { code?: string; status?: number; stderr?: Buffer };
  const first = stderr?.toString().trim().split('\\n')[0];
  return first || code || (status === undefined ? String(error) : 'exit ' + status);
}
function read(path: string): string {
  try {
    return 'ok read ' + readFileSync(path, 'utf8').length + ' characters';
  } catch (error) {
    return 'denied ' + why(error);
  }
}
/** Entries of a folder other than those on the way to the box's own checkout and HOME. */
function list(path: string): string {
  const own = [process.cwd(), process.env.HOME ?? ''];
  try {
    const foreign = readdirSync(path).filter(
      (entry) => !own.some((mine) => mine.startsWith(path + '/' + entry + '/') || mine === path + '/' + entry),
    );
    return foreign.length > 0 ? 'ok listed ' + foreign.join(',') : 'denied nothing but its own';
  } catch (error) {
    return 'denied ' + why(error);
  }
}
function open(path: string): string {
  try {
    closeSync(openSync(path, 'r'));
    return 'ok opened';
  } catch (error) {
    return 'denied ' + why(error);
  }
}
function run(command: string, args: string[]): string {
  try {
    execFileSync(command, args, { stdio: 'pipe', timeout: 10_000 });
    return 'ok ran';
  } catch (error) {
    return 'denied ' + why(error);
  }
}
function socket(options: { path: string } | { host: string; port: number }): Promise<string> {
  return new Promise((done) => {
    const connection = connect(options);
    const timer = setTimeout(() => { connection.destroy(); done('denied timeout'); }, 5000);
    connection.once('connect', () => { clearTimeout(timer); connection.destroy(); done('ok connected'); });
    connection.once('error', (error) => { clearTimeout(timer); done('denied ' + why(error)); });
  });
}
async function http(method: string, url: string, token: string): Promise<string> {
  try {
    const answer = await fetch(url, { method, headers: { authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(5000) });
    return answer.ok ? 'ok ' + answer.status : 'denied ' + answer.status;
  } catch (error) {
    return 'denied ' + why((error as { cause?: unknown }).cause ?? error);
  }
}
/** Pid 1 of the box is bwrap's, with the script's own environment; anything else is foreign. */
function foreignEnviron(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return 'denied ' + why(error);
  }
  const foreign = text.split('\0').filter((entry) => {
    const at = entry.indexOf('=');
    return at > 0 && process.env[entry.slice(0, at)] !== entry.slice(at + 1);
  });
  return foreign.length > 0 ? 'ok read ' + foreign.length + ' foreign variables' : 'denied only its own variables';
}
function foreignProcesses(): string {
  const seen = readdirSync('/proc').filter((entry) => /^\\d+$/.test(entry));
  const foreign = seen.filter((pid) => {
    try {
      return /build-runner|public-api|jest/.test(readFileSync('/proc/' + pid + '/cmdline', 'utf8'));
    } catch {
      return false;
    }
  });
  return foreign.length > 0 ? 'ok saw ' + foreign.join(',') : 'denied only its own ' + seen.length + ' processes';
}

export default pipeline(() => [
  action('attack', async (job) => {
    const attempt = (name: string, outcome: string) => job.log('ATTEMPT ' + name + ' ' + outcome);
    attempt('data:api-admin-token', read(T.apiData + '/admin-token'));
    attempt('data:api-sqlite', read(T.apiData + '/gibbon.sqlite'));
    attempt('data:runner-folder', list(T.runnerData));
    attempt('data:runner-work-folder', list(T.runnerWork));
    const relative = [1, 2, 3, 4, 5, 6, 7, 8].map((depth) => read('../'.repeat(depth) + 'public-api/admin-token'));
    attempt('data:relative-admin-token', relative.find((outcome) => outcome.startsWith('ok')) ?? relative[0]!);
    attempt('proc:1-environ', foreignEnviron('/proc/1/environ'));
    attempt('proc:runner-environ', read('/proc/' + T.runnerPid + '/environ'));
    attempt('proc:runner-cmdline', read('/proc/' + T.runnerPid + '/cmdline'));
    attempt('proc:runner-mem', open('/proc/' + T.runnerPid + '/mem'));
    attempt('proc:trusted-script-environ', read('/proc/' + T.trustedPid + '/environ'));
    attempt('proc:foreign-processes', foreignProcesses());
    attempt('trusted:checkout-file', read(T.trustedCheckout + '/secret.txt'));
    attempt('trusted:home-git-credentials', read(T.trustedHome + '/.git-credentials'));
    attempt('trusted:home-docker-config', read(T.trustedHome + '/.docker/config.json'));
    attempt('trusted:tmp-file', read('/tmp/x'));
    attempt('env:runner-token', process.env.GIBBON_RUNNER_TOKEN ? 'ok present' : 'denied absent');
    attempt('docker:socket', await socket({ path: '/var/run/docker.sock' }));
    attempt('sys:unshare-user', run('unshare', ['--user', '--map-root-user', 'true']));
    attempt('sys:mount', run('mount', ['-t', 'tmpfs', 'none', '/tmp']));
    attempt('sys:nsenter-pid-1', run('nsenter', ['--target', '1', '--mount', '--', 'true']));
    attempt('api:guessed-admin-token', await http('GET', T.apiUrl + '/v1/orgs', 'gbn_admin_guessed0000000000000000000000000000'));
    attempt('api:claim-with-script-token', await http('POST', T.apiUrl + '/v1/runner/claim', process.env.GIBBON_API_TOKEN ?? ''));
    const claim = await scriptApi('POST', '/v1/runner/claim').catch((error: unknown) => ({ status: 0, text: why(error) }));
    attempt('script-api:claim', claim.status >= 200 && claim.status < 300 ? 'ok ' + claim.status : 'denied ' + claim.status);
    const sh = [
      'try() { if "$@" >/dev/null 2>&1; then echo ok; else echo denied; fi; }',
      'echo "ATTEMPT sh:api-admin-token $(try cat "$API_DATA/admin-token")"',
      'echo "ATTEMPT sh:trusted-checkout-file $(try cat "$TRUSTED/secret.txt")"',
      'echo "ATTEMPT sh:runner-environ $(try cat /proc/$RUNNER_PID/environ)"',
      'if ls /proc | grep -qx "$RUNNER_PID"; then echo "ATTEMPT sh:foreign-processes ok"; else echo "ATTEMPT sh:foreign-processes denied"; fi',
    ].join('\\n');
    await job.sh(['sh', '-c', sh], {
      env: { API_DATA: T.apiData, TRUSTED: T.trustedCheckout, RUNNER_PID: String(T.runnerPid) },
    });
  }),
  container('cache', {
    image: T.image,
    script: ['if [ -s deps/token ]; then echo "ATTEMPT cache:main-branch ok"; else echo "ATTEMPT cache:main-branch denied"; fi'],
    caches: [{ id: 'deps', path: 'deps' }],
    network: 'none',
  }),
]);
`;
}

/** The `ATTEMPT` lines of a log, by name: what each attempt got. */
export function attemptsIn(log: string): Record<string, string> {
  return Object.fromEntries(
    [...log.matchAll(/^ATTEMPT (\S+) (.*)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}
