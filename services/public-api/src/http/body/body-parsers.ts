import type { Request, RequestHandler } from 'express';
import { InputError } from '@gibbon/contracts';
import { UnsupportedBodyError } from './body-errors';
import { hasBody, readBody, type BodyLimit } from './read-body';

/** Strips a byte-order mark and replaces invalid sequences, as body-parser's decoding did. */
const utf8 = new TextDecoder('utf-8');
/**
 * JSON must be UTF-8 (RFC 8259): a replaced sequence would silently store a value the user
 * never sent (a parameter that no longer matches the real secret, nor masks it).
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function charsetOf(req: Request): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.get('content-type') ?? '')?.[1];
}

/** Bodies are taken as sent: compressed ones and other charsets than UTF-8 are refused. */
function refuseUndecodable(req: Request, checkCharset: boolean): void {
  const encoding = req.get('content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new UnsupportedBodyError(
      `Content-Encoding "${encoding}" is not supported; send the body uncompressed.`,
    );
  }
  const charset = charsetOf(req);
  if (checkCharset && charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new UnsupportedBodyError(
      `Charset "${charset}" is not supported; send the body as UTF-8.`,
    );
  }
}

/**
 * A body parser over `readBody`: for requests with a body that `accepts`, `req.body` becomes
 * `decode(bytes)`; others pass untouched (the OpenAPI validator answers a wrong content type).
 */
function bodyParser(
  limit: BodyLimit,
  accepts: (req: Request) => boolean,
  decode: (bytes: Buffer) => unknown,
  checkCharset = true,
): RequestHandler {
  return async (req, _res, next) => {
    if (!hasBody(req) || !accepts(req)) return next();
    refuseUndecodable(req, checkCharset);
    const bytes = await readBody(req, limit);
    req.body = decode(bytes);
    next();
  };
}

function parseJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (error) {
    throw new InputError('The body is not valid UTF-8; send JSON encoded as UTF-8.', {
      cause: error,
    });
  }
  // An empty JSON body reads as {} (what body-parser did): a common client-side slip.
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('The body is not valid JSON.', { cause: error });
  }
}

/** `application/json` bodies, parsed. */
export function jsonBody(limit: BodyLimit): RequestHandler {
  return bodyParser(limit, (req) => Boolean(req.is('application/json')), parseJson);
}

/** `text/plain` bodies (log chunks), decoded as UTF-8. */
export function textBody(limit: BodyLimit): RequestHandler {
  return bodyParser(
    limit,
    (req) => Boolean(req.is('text/plain')),
    (bytes) => utf8.decode(bytes),
  );
}

/**
 * Any body, as the raw bytes (webhook deliveries: the signature covers exactly these). No
 * charset check: the bytes are not decoded here.
 */
export function rawBody(limit: BodyLimit): RequestHandler {
  return bodyParser(
    limit,
    () => true,
    (bytes) => bytes,
    false,
  );
}
