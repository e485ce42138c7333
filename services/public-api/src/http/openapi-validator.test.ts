import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOpenApiDocument, type OpenApiDocument } from '@gibbon/contracts';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import * as vendorMetadata from 'express-openapi-validator/dist/middlewares/openapi.metadata';
import { openApiValidator } from './openapi-validator';

type ValidatorFactory = (options: Parameters<typeof openApiValidator>[0]) => RequestHandler[];

interface Outcome {
  readonly status: number;
  readonly allow: string | null;
  readonly body: {
    readonly route?: string;
    readonly pathParams?: Record<string, string>;
    readonly error?: string;
  };
}

/** The validator alone, with what it concluded about each request as the answer. */
async function serve(document: OpenApiDocument, factory: ValidatorFactory): Promise<Server> {
  const app = express();
  app.use(express.json());
  app.use(
    factory({
      apiSpec: structuredClone(document) as never,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: false,
      validateSecurity: false,
      validateFormats: true,
    }),
  );
  const describe = (req: express.Request) => {
    const openapi = (req as { openapi?: { openApiRoute: string; pathParams: object } }).openapi;
    return { route: openapi?.openApiRoute, pathParams: openapi?.pathParams };
  };
  app.use((req, res) => void res.json(describe(req)));
  const onError: ErrorRequestHandler = (
    error: { status?: number; message?: string },
    req,
    res,
    _next,
  ) => {
    for (const [name, value] of Object.entries((error as { headers?: object }).headers ?? {}))
      res.setHeader(name, String(value));
    res.status(error.status ?? 500).json({ ...describe(req), error: error.message });
  };
  app.use(onError);
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function ask(server: Server, method: string, path: string): Promise<Outcome> {
  const response = await fetch(urlOf(server) + path, { method });
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    body: (await response.json()) as Outcome['body'],
  };
}

/** A concrete request path for a documented template, e.g. `/v1/orgs/p-org/repos`. */
function concrete(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_all, name: string) =>
    name === 'number' ? '7' : `p-${name}`,
  );
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function operation(id: string): Record<string, unknown> {
  return { operationId: id, responses: { '200': { description: 'ok' } } };
}

/**
 * Overlapping paths, where the order of the lookup decides: a literal segment beside a
 * template one, and a template that also matches a longer literal path's prefix.
 */
const overlapping: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'overlap', version: '1' },
  paths: {
    '/things/{id}': { get: operation('getThing'), delete: operation('deleteThing') },
    '/things/special': { post: operation('special') },
    '/things/{id}/parts/{part}': { get: operation('getPart') },
    '/things/special/parts/{part}': { put: operation('putSpecialPart') },
  },
};

/** Requests that no documented path serves, or serves oddly (encodings, slashes, case). */
const oddPaths = [
  '/',
  '/v1',
  '/v1/',
  '/v1/nope',
  '/v1/orgs/',
  '/v1/orgs/acme/',
  '/v1/orgs/acme/repos/',
  '/V1/ORGS/acme/REPOS',
  '/v1/orgs/acme/repos?x=1',
  '/v1/orgs/ac%2Fme/repos',
  '/v1/orgs/%E0%A4%A/repos',
  '/v1/orgs/acme/repos/web/builds/notanumber',
  '/v1/orgs/acme/repos/web/builds/7/jobs/j1/logs/extra',
  '/v1/runner/nope',
  '/healthz/',
  '/elsewhere',
  '/things/special',
  '/things/SPECIAL',
  '/things/special/parts/p1',
  '/things/other/parts/p1',
];

describe.each([
  ['public-api', loadOpenApiDocument('public-api')],
  ['runner-api', loadOpenApiDocument('runner-api')],
  ['overlapping', overlapping],
])('openApiValidator over the %s document', (_name, document) => {
  let vendor: Server;
  let ours: Server;
  const templates = Object.keys(document.paths);

  beforeAll(async () => {
    vendor = await serve(document, OpenApiValidator.middleware as ValidatorFactory);
    ours = await serve(document, openApiValidator);
  });
  afterAll(async () => {
    await Promise.all([vendor, ours].map((s) => new Promise((r) => s.close(r))));
  });

  it('matches every documented path to its own template, with its parameters', async () => {
    for (const template of templates) {
      const method = Object.keys(document.paths[template] ?? {})
        .find((key) => methods.includes(key.toUpperCase()))
        ?.toUpperCase();
      const outcome = await ask(ours, method ?? 'GET', concrete(template));
      expect({ template, route: outcome.body.route }).toEqual({ template, route: template });
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      expect(Object.keys(outcome.body.pathParams ?? {}).sort()).toEqual(names.sort());
    }
  });

  it('concludes what the unmodified validator concludes, for every path and method', async () => {
    const paths = [...templates.map(concrete), ...oddPaths];
    for (const path of paths) {
      for (const method of methods) {
        const [expected, actual] = await Promise.all([
          ask(vendor, method, path),
          ask(ours, method, path),
        ]);
        expect({ method, path, ...actual }).toEqual({ method, path, ...expected });
      }
    }
  });

  it("answers the validator's 404 for an unknown path and 405 for an undocumented method", async () => {
    const unknown = await ask(ours, 'GET', '/v1/nope');
    expect(unknown).toEqual({ status: 404, allow: null, body: { error: 'not found' } });
    const template = templates.find((t) => !document.paths[t]?.patch) ?? '';
    const wrongMethod = await ask(ours, 'PATCH', concrete(template));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.allow).toMatch(/[A-Z]/);
  });
});

it("gives the validator's metadata step one candidate path per request, not the whole list", async () => {
  const document = loadOpenApiDocument('public-api');
  const spy = jest.spyOn(vendorMetadata, 'applyOpenApiMetadata');
  const server = await serve(document, openApiValidator);
  try {
    await ask(server, 'GET', '/v1/orgs/acme/repos');
    await ask(server, 'GET', '/v1/nope');
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [context] of spy.mock.calls) {
      expect(Object.keys(context.expressRouteMap).length).toBeLessThanOrEqual(1);
    }
  } finally {
    spy.mockRestore();
    await new Promise((r) => server.close(r));
  }
});
