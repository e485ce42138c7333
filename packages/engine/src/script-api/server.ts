import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the Script API listens. A socket's folder is private to its `owner`: the runner's own
 * user, or the user the script runs as (the runner, being root then, can still reach it).
 */
export type ScriptApiListen =
  { kind: 'socket'; folder?: string; owner?: { uid: number; gid: number } } | { kind: 'loopback' };

/** A listening Script API: what the script process is told, and how to stop it. */
export interface ScriptApiServer {
  /** `unix:/…/api.sock` or `http://127.0.0.1:PORT`: the value of GIBBON_API_URL. */
  url: string;
  /** Stops listening, ends open connections and deletes the socket's folder. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, target: string | { port: 0; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Unix socket paths are limited to about 107 bytes; a deep data folder falls back to tmpdir. */
const MAX_SOCKET_PARENT_LENGTH = 80;

function socketParent(preferred: string | undefined): string {
  if (preferred && Buffer.byteLength(preferred) <= MAX_SOCKET_PARENT_LENGTH) return preferred;
  return tmpdir();
}

/**
 * Serves `app` on a Unix socket in a fresh build-private folder (mode 0700: only its owner
 * can connect) or, where sockets can't be used, on an ephemeral loopback port. Requests may
 * last as long as a container job, so Node's default request timeout is switched off.
 */
export async function startScriptApiServer(
  app: RequestListener,
  where: ScriptApiListen = { kind: 'socket' },
): Promise<ScriptApiServer> {
  const server = createServer(app);
  server.requestTimeout = 0;
  let folder: string | undefined;
  let url: string;
  if (where.kind === 'socket') {
    folder = await mkdtemp(join(socketParent(where.folder), 'gibbon-api-'));
    await chmod(folder, 0o700);
    const socketPath = join(folder, 'api.sock');
    await listen(server, socketPath);
    if (where.owner) {
      await chown(folder, where.owner.uid, where.owner.gid);
      await chown(socketPath, where.owner.uid, where.owner.gid);
    }
    url = `unix:${socketPath}`;
  } else {
    // Loopback only: the script runs on this machine, and nothing else may reach its API.
    await listen(server, { port: 0, host: '127.0.0.1' });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    url = `http://127.0.0.1:${port}`;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }).then(() => (folder ? rm(folder, { recursive: true, force: true }) : undefined));
    return closing;
  };
  return { url, close };
}
