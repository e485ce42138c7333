import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from './cli';
import { commands } from './commands';
import type { Io } from './io';

function io(): { io: Io; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    io: {
      stdin: Readable.from([]),
      stdout: out,
      stderr: err,
      env: {},
      cwd: '/',
      signal: new AbortController().signal,
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

describe('gibbon --help', () => {
  it('lists every command with its summary', async () => {
    const run = io();
    expect(await runCli(['--help'], run.io)).toBe(0);
    const width = Math.max(...commands.map((command) => command.name.length));
    for (const command of commands) {
      expect(run.stdout()).toContain(`  ${command.name.padEnd(width)}  ${command.summary}\n`);
    }
  });

  it.each(commands.map((command) => command.name))('gibbon %s --help', async (name) => {
    const run = io();
    expect(await runCli([name, '--help'], run.io)).toBe(0);
    expect(run.stdout()).toMatch(new RegExp(`^Usage: gibbon ${name}\\b`));
    expect(run.stdout()).toMatch(/-h, --help +show this help/);
    expect(run.stderr()).toBe('');
  });

  it('exits 2 with the usage for no command or an unknown one', async () => {
    const none = io();
    expect(await runCli([], none.io)).toBe(2);
    expect(none.stderr()).toContain('Usage: gibbon <command>');
    const unknown = io();
    expect(await runCli(['deploy'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toContain('gibbon: unknown command "deploy".');
  });

  it('prints the version of its package.json for --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const run = io();
      expect(await runCli([flag], run.io)).toBe(0);
      expect(run.stdout()).toBe(`${version}\n`);
    }
  });

  it('prints a domain error as one line and exits 2', async () => {
    const run = io();
    expect(await runCli(['builds'], run.io)).toBe(2);
    expect(run.stderr()).toBe(
      'gibbon builds: Name the repository as --repo ORG/REPO (or set GIBBON_REPO=ORG/REPO).\n',
    );
  });
});
