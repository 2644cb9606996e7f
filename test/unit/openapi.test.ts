// The OpenAPI document against the routes the staff API really registers, both ways, and the
// document's own structure: every path parameter declared, every $ref resolving, each route
// listing the answers it really gives.
import { Router, type RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { apiRouter, apiRoutes, type ApiDeps } from '../../server/http/api/index.js';
import { openApiDocument } from '../../server/http/api/openapi.js';
import type { RouteDoc } from '../../server/http/api/openapiTypes.js';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: unknown;
  slash?: boolean;
  rawPath?: unknown;
}

/** Every METHOD + path a router registers, nested routers included, `:id` written `{id}`. */
function registered(router: unknown, prefix = ''): string[] {
  const stack = (router as { stack: Layer[] }).stack;
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path, methods } = layer.route;
      if (typeof path !== 'string') throw new Error(`a route whose path is not a string: ${path}`);
      if (methods._all) throw new Error(`${path}: a route for every method cannot be documented`);
      const template = `${prefix}${path}`.replace(/:(\w+)/g, '{$1}');
      return Object.keys(methods).map((m) => `${m.toUpperCase()} ${template}`);
    }
    const nested = (layer.handle as { stack?: unknown }).stack;
    if (!Array.isArray(nested)) return []; // a middleware
    if (!layer.slash && typeof layer.rawPath !== 'string') {
      throw new Error(`a router mounted at a path that is not a string: ${String(layer.rawPath)}`);
    }
    return registered(layer.handle, layer.slash ? prefix : `${prefix}${layer.rawPath as string}`);
  });
}

type Document = ReturnType<typeof openApiDocument>;
type Operation = {
  parameters: { name: string; in: string; required?: boolean }[];
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op: op as Operation })),
  );

/** Every METHOD + path the document describes. */
const documented = (doc: Document) =>
  operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`);

/** What is registered without being documented, and documented without being registered. */
function drift(routes: string[], docs: string[]) {
  return {
    undocumented: routes.filter((r) => !docs.includes(r)).sort(),
    unregistered: docs.filter((d) => !routes.includes(d)).sort(),
  };
}

/** Stand-ins: building the router must not touch them (they are for requests). */
function standInDeps(): ApiDeps {
  const untouched = (name: string) =>
    new Proxy(
      {},
      {
        get(_t, key) {
          throw new Error(`${name}.${String(key)} used while building the router`);
        },
      },
    );
  return {
    db: untouched('db'),
    alerts: untouched('alerts'),
    sessions: untouched('sessions'),
    signIn: untouched('signIn'),
    planChanged: () => {},
    deviceRevoked: () => {},
    log: untouched('log'),
    now: () => new Date(),
  } as unknown as ApiDeps;
}

const doc = openApiDocument(apiRoutes);

describe('the OpenAPI document against the registered routes', () => {
  it('documents every route apiRouter registers, and registers every route it documents', () => {
    const routes = registered(apiRouter(standInDeps()));
    expect(routes).toContain('GET /openapi.json');
    expect(routes).toContain('POST /alerts/{id}/snooze');
    expect(new Set(routes).size).toBe(routes.length);
    expect(drift(routes, documented(doc))).toEqual({ undocumented: [], unregistered: [] });
  });

  it('notices a route registered without a RouteDoc, and a RouteDoc without a route', () => {
    const ok: RequestHandler = (_req, res) => {
      res.end();
    };
    const nested = Router();
    nested.get('/things/:id', ok);
    nested.post('/things/:id/archive', ok);
    const mounted = Router();
    mounted.get('/', ok);
    const router = Router();
    router.use(nested);
    router.use('/stuff', mounted);
    router.delete('/other', ok);
    const docs: RouteDoc[] = [
      { method: 'get', path: '/things/{id}', summary: 'One thing', response: undefined },
      { method: 'get', path: '/stuff/', summary: 'All stuff' },
      { method: 'put', path: '/gone', summary: 'Not registered' },
    ];
    expect(drift(registered(router), documented(openApiDocument(docs)))).toEqual({
      undocumented: ['DELETE /other', 'POST /things/{id}/archive'],
      unregistered: ['PUT /gone'],
    });
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the Error schema and the session cookie', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(doc.components.securitySchemes.session).toEqual({
      type: 'apiKey',
      in: 'cookie',
      name: 'th_session',
    });
  });

  it('declares every path parameter of every path, and no other', () => {
    for (const { path, method, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = op.parameters.filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inPath.sort());
      for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
      const keys = op.parameters.map((p) => `${p.in} ${p.name}`);
      expect(new Set(keys).size, `${method} ${path}: a parameter twice`).toBe(keys.length);
    }
  });

  it('has every $ref resolve within the document', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeTypeOf('object');
    }
  });

  it('describes each answer: a success, with its schema unless 204, and errors of the Error shape', () => {
    for (const { path, method, op } of operations(doc)) {
      const at = `${method} ${path}`;
      const statuses = Object.keys(op.responses);
      for (const s of statuses) expect(s, at).toMatch(/^[1-5]\d\d$/);
      const ok = statuses.filter((s) => s.startsWith('2'));
      expect(ok, at).toHaveLength(1);
      const success = op.responses[ok[0]!]!;
      if (ok[0] === '204') expect(success.content, at).toBeUndefined();
      else expect(success.content?.['application/json']?.schema, at).toBeTypeOf('object');
      for (const s of statuses.filter((x) => Number(x) >= 400)) {
        expect(op.responses[s]!.content, `${at} ${s}`).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/Error' } },
        });
      }
    }
  });

  it('lists for each route the statuses it can answer, no more', () => {
    const answers = Object.fromEntries(
      operations(doc).map(({ path, method, op }) => [
        `${method.toUpperCase()} ${path}`,
        Object.keys(op.responses).map(Number),
      ]),
    );
    expect(answers).toEqual({
      'GET /openapi.json': [200, 400, 500],
      'POST /session': [200, 400, 401, 429, 500],
      'DELETE /session': [204, 400, 500],
      'GET /me': [200, 400, 401, 500],
      'GET /patients': [200, 400, 401, 500],
      'GET /patients/{id}': [200, 400, 401, 403, 404, 500],
      'GET /patients/{id}/readings': [200, 400, 401, 403, 404, 500],
      'GET /patients/{id}/audit': [200, 400, 401, 403, 404, 500],
      'PUT /patients/{id}/frailty': [200, 400, 401, 403, 404, 500],
      'GET /patients/{id}/plan': [200, 400, 401, 403, 404, 500],
      'PUT /patients/{id}/plan': [200, 400, 401, 403, 404, 500],
      'POST /patients/{id}/plan/what-if': [200, 400, 401, 403, 404, 500],
      'GET /patients/{id}/devices': [200, 400, 401, 403, 404, 500],
      'POST /patients/{id}/devices': [200, 400, 401, 403, 404, 500],
      'POST /devices/{id}/revoke': [200, 400, 401, 403, 404, 500],
      'GET /devices/{id}/log': [200, 400, 401, 403, 404, 500],
      'GET /alerts': [200, 400, 401, 500],
      'GET /alerts/{id}': [200, 400, 401, 403, 404, 500],
      'GET /alerts/{id}/explanation': [200, 400, 401, 403, 404, 500],
      'POST /alerts/{id}/acknowledge': [200, 400, 401, 403, 404, 409, 500],
      'POST /alerts/{id}/snooze': [200, 400, 401, 403, 404, 409, 500],
      'POST /alerts/{id}/resolve': [200, 400, 401, 403, 404, 409, 500],
      'GET /units/{id}/oncall': [200, 400, 401, 403, 404, 500],
      'POST /units/{id}/oncall': [201, 400, 401, 403, 404, 409, 500],
      'GET /units/{id}/oncall/now': [200, 400, 401, 403, 404, 500],
      'DELETE /units/{id}/oncall/{shiftId}': [204, 400, 401, 403, 404, 500],
      'GET /push/key': [200, 400, 401, 500],
      'POST /push/subscriptions': [204, 400, 401, 409, 500],
      'DELETE /push/subscriptions': [204, 400, 401, 500],
    });
    const signIn = doc.paths['/session']!.post as Operation & {
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    expect(Object.keys(signIn.responses['429']!.headers!)).toEqual(['Retry-After']);
  });

  it('needs a session everywhere but sign-in, sign-out and the document itself', () => {
    const open = operations(doc)
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(open.sort()).toEqual(['DELETE /session', 'GET /openapi.json', 'POST /session']);
  });
});
