import { connect, type Socket } from 'node:net';
import { githubDelivery } from '@gibbon/test-kit';
import { createBuildWorld, type BuildWorld } from './build-world';
import { startTestApp, type TestApp } from './harness';

const MB = 1024 * 1024;
/**
 * The body deadline of the app the trickle tests run against. The size tests get a deadline
 * far longer than sending 30 MB can take on a loaded machine, so that only the size limit can
 * answer them (under a CI run's load 25 MB once took longer than half a second: a 408).
 */
const bodyTimeoutMs = 500;
const sizeTestsBodyTimeoutMs = 60_000;

/** What a raw client saw: the answer's bytes, and how much of its body it had sent by then. */
interface Exchange {
  readonly answer: string;
  /** Body bytes the client had handed to its socket when the first answer byte came. */
  readonly sentWhenAnswered: number;
  /** The server closed the connection (the client never ends it). */
  readonly closedByServer: boolean;
}

/**
 * Writes `head`, then `nextPiece()` again and again (waiting for the socket to drain: no more
 * in flight than the kernel holds) until the server answers, or `nextPiece` returns
 * `undefined`: the client has sent all it will and waits (5 s at most) for the server to
 * answer and close.
 */
function exchange(
  port: number,
  head: string,
  nextPiece: () => Promise<Buffer | undefined>,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let sentWhenAnswered: number | undefined;
    let closed = false;
    let giveUp: NodeJS.Timeout | undefined;
    socket.on('data', (data: Buffer) => {
      sentWhenAnswered ??= sent;
      answer += data.toString('utf8');
    });
    // Writes after the server closed fail (EPIPE, ECONNRESET): that is the point, not an error.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(giveUp);
      resolve({ answer, sentWhenAnswered: sentWhenAnswered ?? sent, closedByServer: true });
    });
    const send = async () => {
      socket.write(head);
      while (!closed && sentWhenAnswered === undefined) {
        const piece = await nextPiece();
        if (piece === undefined) break;
        if (closed) return;
        sent += piece.length;
        if (socket.write(piece)) continue;
        await new Promise<void>((done) => {
          socket.once('drain', done);
          socket.once('close', done);
        });
      }
      if (closed) return;
      giveUp = setTimeout(() => {
        socket.removeAllListeners('close');
        socket.destroy();
        reject(
          new Error(
            `After ${sent} body bytes the server had answered ${JSON.stringify(answer.slice(0, 80))} and not closed the connection.`,
          ),
        );
      }, 5_000);
    };
    socket.on('connect', () => void send());
  });
}

function parseAnswer(answer: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
    headers: head.toLowerCase(),
    body: body === '' ? undefined : (JSON.parse(body) as unknown),
  };
}

const piece = Buffer.alloc(64 * 1024, 0x20);

/** `count` pieces of 64 KiB, or endless; each as one HTTP chunk when `chunked`. */
function pieces(count: number, chunked: boolean): () => Promise<Buffer | undefined> {
  let left = count;
  const framed = Buffer.concat([
    Buffer.from(`${piece.length.toString(16)}\r\n`),
    piece,
    Buffer.from('\r\n'),
  ]);
  return () => Promise.resolve(left-- > 0 ? (chunked ? framed : piece) : undefined);
}

/** One byte every 50 ms: a body that would take `bytes` / 20 seconds. */
function trickle(bytes: number): () => Promise<Buffer | undefined> {
  let left = bytes;
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return left-- > 0 ? Buffer.from('{') : undefined;
  };
}

// Spec section 5: a delivery is at most 25 MB (413 beyond). The webhook needs no token, so
// neither a huge body nor a slow one may hold a connection: the limit answers as soon as it is
// passed and the deadline as soon as it passes, and both answers end the connection.
describe('request bodies are bounded in size and in time', () => {
  let app: TestApp;
  let world: BuildWorld;
  let port: number;
  /** The same service with a short body deadline, for the bodies that trickle. */
  let slow: { app: TestApp; world: BuildWorld; port: number };
  beforeAll(async () => {
    app = await startTestApp({ bodyTimeoutMs: sizeTestsBodyTimeoutMs });
    world = await createBuildWorld(app);
    port = Number(new URL(app.baseUrl).port);
    const slowApp = await startTestApp({ bodyTimeoutMs });
    slow = {
      app: slowApp,
      world: await createBuildWorld(slowApp),
      port: Number(new URL(slowApp.baseUrl).port),
    };
  });
  afterAll(async () => {
    await app.close();
    await slow.app.close();
  });

  const webhookHead = (framing: string, to = world) =>
    `POST /webhooks/github/${to.webhookId} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    'Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: big\r\n' +
    `X-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\n${framing}\r\n`;

  it('a delivery that declares 30 MB gets 413 and a closed connection while it is still sending', async () => {
    const before = await world.count('deliveries');
    const seen = await exchange(
      port,
      webhookHead(`Content-Length: ${30 * MB}\r\n`),
      pieces((30 * MB) / piece.length, false),
    );
    const answer = parseAnswer(seen.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toEqual({
      error: { code: 'payload_too_large', message: 'A webhook delivery is at most 25 MB.' },
    });
    expect(seen.closedByServer).toBe(true);
    expect(seen.sentWhenAnswered).toBeLessThan(30 * MB);
    expect(await world.count('deliveries')).toBe(before);
  });

  it('an endless chunked delivery gets 413 and a closed connection soon after 25 MB', async () => {
    const seen = await exchange(
      port,
      webhookHead('Transfer-Encoding: chunked\r\n'),
      // The client gives up at 100 MB: a server still reading by then never stops.
      pieces((100 * MB) / piece.length, true),
    );
    const answer = parseAnswer(seen.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(seen.closedByServer).toBe(true);
    expect(seen.sentWhenAnswered).toBeGreaterThan(25 * MB);
  });

  it('a JSON body over 1 MiB, sent chunked without end, gets 413 and a closed connection', async () => {
    const seen = await exchange(
      port,
      `POST /v1/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${app.adminToken}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      pieces((100 * MB) / piece.length, true),
    );
    expect(parseAnswer(seen.answer)).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    expect(seen.closedByServer).toBe(true);
  });

  // Found by the attack suite (B16): a client that has written its whole body before the early
  // 413 arrives (fetch, curl) must still read that answer. A socket closed with the body's bytes
  // unread sends a reset instead of an end, and the client saw only EPIPE or ECONNRESET.
  it('a JSON body over 1 MiB sent at once gets its 413 and an orderly end, not a reset', async () => {
    const body = Buffer.alloc(4 * MB, 0x20);
    const socket = connect(port, '127.0.0.1');
    const seen = await new Promise<{ answer: string; ended: boolean; error?: string }>(
      (resolve) => {
        let answer = '';
        let ended = false;
        let error: string | undefined;
        socket.on('data', (data: Buffer) => (answer += data.toString('utf8')));
        socket.on('end', () => (ended = true));
        socket.on('error', (failure: NodeJS.ErrnoException) => (error = failure.code));
        socket.on('close', () => resolve({ answer, ended, error }));
        socket.write(
          `POST /v1/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${app.adminToken}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body);
      },
    );
    expect(seen).toMatchObject({ ended: true, error: undefined });
    expect(parseAnswer(seen.answer)).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
  });

  it('a client that ignores the 413 and keeps sending is cut off after a bounded rest', async () => {
    const socket = connect(port, '127.0.0.1');
    const sent = await new Promise<number>((resolve) => {
      let total = 0;
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(total));
      socket.on('connect', () => {
        socket.write(
          `POST /v1/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${app.adminToken}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n',
        );
        const more = () => {
          // Gives up at 200 MB: a server still reading by then never stops.
          while (!socket.destroyed && total < 200 * MB) {
            total += piece.length;
            if (!socket.write(piece)) return void socket.once('drain', more);
          }
          socket.destroy();
        };
        more();
      });
    });
    // The rest read is 8 MiB; what the two kernels buffer on loopback comes on top.
    expect(sent).toBeLessThan(40 * MB);
  });

  it.each([
    ['a webhook delivery', () => webhookHead('Content-Length: 1000\r\n', slow.world)],
    [
      'a JSON body',
      () =>
        `POST /v1/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${slow.app.adminToken}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    ],
  ])('%s trickling in is cut off at the body deadline with 408', async (_what, head) => {
    const before = await slow.app.services.orgs.list();
    const seen = await exchange(slow.port, head(), trickle(1000));
    const answer = parseAnswer(seen.answer);
    expect(answer.status).toBe(408);
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toEqual({
      error: {
        code: 'invalid_input',
        message:
          'The request body did not arrive within 0.5 s; send it without pauses (the server allows GIBBON_BODY_TIMEOUT_SECONDS for a body).',
      },
    });
    expect(seen.closedByServer).toBe(true);
    expect(seen.sentWhenAnswered).toBeLessThan(1000);
    expect(await slow.app.services.orgs.list()).toEqual(before);
  });

  it('a signed delivery sent in chunks within the deadline is checked on its raw bytes and accepted', async () => {
    const delivery = githubDelivery({
      event: 'ping',
      payload: { zen: 'Keep it logically awesome.', hook_id: 1 },
      secret: world.secret,
    });
    const body = Buffer.from(delivery.body);
    const head =
      `POST /webhooks/github/${world.webhookId} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      Object.entries(delivery.headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const parts = [body.subarray(0, 5), body.subarray(5), Buffer.alloc(0)];
    const seen = await exchange(port, head, async () => {
      const part = parts.shift();
      if (part === undefined) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return Buffer.concat([
        Buffer.from(`${part.length.toString(16)}\r\n`),
        part,
        Buffer.from('\r\n'),
      ]);
    });
    expect(parseAnswer(seen.answer)).toMatchObject({ status: 200, body: { build: null } });

    const tampered = Buffer.from(delivery.body.replace('awesome', 'AWESOME'));
    const refused = await exchange(
      port,
      head.replace('Transfer-Encoding: chunked', `Content-Length: ${tampered.length}`),
      (() => {
        let sent = false;
        return () => Promise.resolve(sent ? undefined : ((sent = true), tampered));
      })(),
    );
    expect(parseAnswer(refused.answer).status).toBe(401);
  });
});
