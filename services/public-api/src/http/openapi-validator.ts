import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';
import type { OpenApiContext } from 'express-openapi-validator/dist/framework/openapi.context';
import { OpenApiSpecLoader } from 'express-openapi-validator/dist/framework/openapi.spec.loader';
import type {
  OpenAPIV3,
  OpenApiValidatorOpts,
} from 'express-openapi-validator/dist/framework/types';
import { applyOpenApiMetadata } from 'express-openapi-validator/dist/middlewares/openapi.metadata';
import { OpenApiValidator } from 'express-openapi-validator/dist/openapi.validator';

type ResponseDocument = OpenAPIV3.DocumentV3 | OpenAPIV3.DocumentV3_1;
type MetadataFactory = (context: OpenApiContext, responseDoc: ResponseDocument) => RequestHandler;

interface PathToRegexp {
  pathToRegexp(
    this: void,
    path: string,
    options: { sensitive: boolean; strict: boolean },
  ): { readonly regexp: RegExp };
}

/** The path-to-regexp copy the validator itself uses, so a pattern here is the one it builds. */
const { pathToRegexp } = createRequire(require.resolve('express-openapi-validator'))(
  'path-to-regexp',
) as PathToRegexp;

/**
 * express-openapi-validator 5.6 finds a request's documented path by compiling a path-to-regexp
 * for every documented path, in order, on every request until one matches (upstream PR #1217
 * would cache them). Here the patterns are compiled once per routing mode, the first match is
 * found exactly as the validator would find it, and the validator's own metadata step then runs
 * on a view of its context holding only that path (or none, which gives its 404). So it is still
 * the validator that sets `req.openapi` and raises 404/405/400 ("malformed uri"), with its words.
 */
export function routeLookupMetadata(
  context: OpenApiContext,
  responseDoc: ResponseDocument,
): RequestHandler {
  const routes = Object.keys(context.expressRouteMap);
  const patternsByMode = new Map<string, RegExp[]>();
  const byRoute = new Map<string | undefined, RequestHandler>();

  function patterns(sensitive: boolean, strict: boolean): RegExp[] {
    const mode = `${sensitive}/${strict}`;
    let compiled = patternsByMode.get(mode);
    if (compiled === undefined) {
      compiled = routes.map((route) => pathToRegexp(route, { sensitive, strict }).regexp);
      patternsByMode.set(mode, compiled);
    }
    return compiled;
  }

  function metadataFor(route: string | undefined): RequestHandler {
    let handler = byRoute.get(route);
    if (handler === undefined) {
      const expressRouteMap =
        route === undefined ? {} : { [route]: context.expressRouteMap[route as never] };
      const view = Object.create(context, {
        expressRouteMap: { value: expressRouteMap },
      }) as OpenApiContext;
      handler = applyOpenApiMetadata(view, responseDoc);
      byRoute.set(route, handler);
    }
    return handler;
  }

  const lookup: RequestHandler = (req, res, next) => {
    // The same path and routing options as the validator's own lookup.
    const path = (context.useRequestUrl ? req.url : req.originalUrl).split('?')[0] ?? '';
    const compiled = patterns(
      req.app.enabled('case sensitive routing'),
      req.app.enabled('strict routing'),
    );
    const index = compiled.findIndex((pattern) => pattern.test(path));
    return metadataFor(index < 0 ? undefined : routes[index])(req, res, next);
  };
  return lookup;
}

/**
 * `OpenApiValidator.middleware(options)`, with the route lookup above in place of the
 * validator's per-request one; every other step (security, request and response validation) is
 * the validator's, over the same document.
 */
export function openApiValidator(options: OpenApiValidatorOpts): RequestHandler[] {
  const validator = new OpenApiValidator(options);
  const seam = validator as unknown as { metadataMiddleware?: MetadataFactory };
  if (typeof seam.metadataMiddleware !== 'function') {
    throw new TypeError(
      'express-openapi-validator no longer has metadataMiddleware(); check src/http/openapi-validator.ts against its new version.',
    );
  }
  seam.metadataMiddleware = routeLookupMetadata;
  const spec = new OpenApiSpecLoader({
    apiDoc: structuredClone(options.apiSpec) as never,
    validateApiSpec: options.validateApiSpec,
    $refParser: options.$refParser,
  }).load();
  return validator.installMiddleware(spec);
}
