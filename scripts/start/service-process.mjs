// One service (public-api or build-runner) as a child process of `pnpm start`.
//
// Lifecycle: `spawn()` once → its output is held back until `showOutput()` (so a failed start
// prints only the service's own one-line error, and the admin-token announcement can be
// filtered) → `stop()` sends SIGTERM and waits; `kill()` ends its whole process group.
// `exited` settles exactly once, whichever way the process ends.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export class ServiceProcess {
  #child;
  #held = [];
  #live = false;
  #hidden = [];
  #lastErrorLine = '';

  /** @param {string} name shown before each line @param {string} script the built main.js */
  constructor(name, script, env, cwd) {
    this.name = name;
    this.script = script;
    this.env = env;
    this.cwd = cwd;
  }

  spawn() {
    // Its own process group: Ctrl-C reaches only `pnpm start`, which stops the services in
    // order (runner first, so it can still report to public-api) instead of both at once.
    this.#child = spawn(process.execPath, [this.script], {
      cwd: this.cwd,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.#child.pid;
    this.exited = new Promise((resolve) => {
      this.#child.once('error', (error) => {
        this.#lastErrorLine = `could not start ${this.name}: ${error.message}`;
        resolve({ code: 1, signal: null });
      });
      this.#child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.#follow(this.#child.stdout, process.stdout);
    this.#follow(this.#child.stderr, process.stderr);
    return this;
  }

  /** Lines containing `text` (a secret the service announced) are never shown. */
  hide(text) {
    this.#hidden.push(text);
  }

  /** Prints what was held back, then every further line as it comes. */
  showOutput() {
    this.#live = true;
    for (const { line, sink } of this.#held.splice(0)) this.#print(line, sink);
  }

  /** The service's last line on stderr: its own one-line reason when it stops at start. */
  lastErrorLine() {
    return this.#lastErrorLine;
  }

  /** SIGTERM (the services stop gracefully on it) and wait for the exit. */
  async stop() {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
    }
    return this.exited;
  }

  /** Ends the service and anything it started (its process group) at once. */
  kill() {
    try {
      process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  #follow(stream, sink) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (sink === process.stderr && line.trim() !== '') this.#lastErrorLine = line.trim();
      if (this.#live) this.#print(line, sink);
      else this.#held.push({ line, sink });
    });
  }

  #print(line, sink) {
    if (line.trim() === '' || this.#hidden.some((text) => line.includes(text))) return;
    if (/^Admin token \(shown once/.test(line)) return;
    sink.write(`${this.name} | ${line}\n`);
  }
}
