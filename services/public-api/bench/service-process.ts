import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** public-api as its own process, as `pnpm start` runs it (tsx on the sources). */
export interface Service {
  readonly url: string;
  /**
   * CPU time (user + system) the service has used so far, in ms: its process and those it
   * started (the workers of GIBBON_API_WORKERS), as long as they run.
   */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function cpuMsOfTree(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, each) => {
    try {
      return sum + cpuMsOf(each);
    } catch {
      return sum;
    }
  }, 0);
}

/** `env` adds to the bench's own environment (another database, say). */
export async function startService(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Service> {
  const child = spawn(
    process.execPath,
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the service.
    [
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      '--conditions=@gibbon/source',
      'src/main.ts',
    ],
    {
      cwd: join(__dirname, '..'),
      env: {
        ...process.env,
        GIBBON_DATA_DIR: dataDir,
        GIBBON_PORT: '0',
        GIBBON_HOST: '127.0.0.1',
        // The bench's repositories live on git.example.test, allowed as an operator would.
        GIBBON_GIT_HOSTS: 'git.example.test',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`public-api exited with ${code} before listening.`)),
    );
  });
  child.stdout.resume();
  return {
    url,
    cpuMs: () => cpuMsOfTree(child.pid ?? 0),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
