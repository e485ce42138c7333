import express from 'express';
import type { AddressInfo } from 'node:net';
import { jsonBody } from './body-parsers';

/** An app that answers the parsed body, or the error's status and message. */
async function post(body: Buffer): Promise<{ status: number; text: string }> {
  const app = express();
  app.use(jsonBody({ maxBytes: 1024, tooLargeMessage: 'too large', deadlineMs: 5000 }));
  app.post('/', (req, res) => void res.json(req.body));
  app.use(
    (
      error: { status?: number; message: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res.status(error.status ?? 400).send(error.message);
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body,
    });
    return { status: response.status, text: await response.text() };
  } finally {
    server.close();
  }
}

describe('jsonBody', () => {
  it('parses UTF-8 JSON, multi-byte characters included', async () => {
    expect(await post(Buffer.from('{"value":"grüß 🔑"}'))).toEqual({
      status: 200,
      text: '{"value":"grüß 🔑"}',
    });
  });

  it('refuses a body with invalid UTF-8 instead of storing replacement characters', async () => {
    const body = Buffer.concat([
      Buffer.from('{"value":"secret'),
      Buffer.from([0xff, 0xc0, 0xaf]),
      Buffer.from('"}'),
    ]);
    const answer = await post(body);
    expect(answer.text).toBe('The body is not valid UTF-8; send JSON encoded as UTF-8.');
    expect(answer.status).toBe(400);
  });
});
