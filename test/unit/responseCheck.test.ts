// API_CHECK_RESPONSES: an answer of another shape or status than its route documents becomes a
// logged 500, so that the test that made the request fails; documented answers pass unchanged.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../server/config.js';
import { apiRouter, type ApiDeps } from '../../server/http/api/index.js';
import type { RouteDoc } from '../../server/http/api/openapiTypes.js';
import { responseCheck, routeMatcher } from '../../server/http/api/responseCheck.js';

interface Logged {
  o: Record<string, unknown>;
  msg: string;
}
const logTo = (logged: Logged[]) => ({
  error: (o: object, msg: string) => logged.push({ o: o as Record<string, unknown>, msg }),
});

async function serve(app: Express) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call(method: string, path: string, body?: unknown) {
      const r = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const docs: RouteDoc[] = [
  {
    method: 'get',
    path: '/things/{id}',
    summary: 'One thing',
    response: z.object({
      id: z.string(),
      n: z.number(),
      tags: z.array(z.object({ k: z.string() })),
    }),
  },
  { method: 'post', path: '/things', summary: 'Add', body: z.object({}), response: z.object({}) },
  { method: 'delete', path: '/things/{id}', summary: 'Remove', status: 204 },
];

describe('response checking', () => {
  const logged: Logged[] = [];
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const app = express();
    app.use(responseCheck(docs, logTo(logged)));
    const answers: Record<string, [number, unknown]> = {
      good: [200, { id: 'good', n: 1, tags: [{ k: 'a' }] }],
      wrong: [200, { id: 'wrong', n: 'one', tags: [] }],
      extra: [200, { id: 'extra', n: 1, tags: [{ k: 'a', secret: 's' }] }],
      gone: [404, { error: { code: 'not_found', message: 'thing gone does not exist' } }],
      taken: [409, { error: { code: 'conflict', message: 'taken' } }],
      shapeless: [403, { message: 'no' }],
    };
    app.get('/things/:id', (req, res) => {
      const [status, body] = answers[req.params.id]!;
      res.status(status).json(body);
    });
    app.post('/things', (_req, res) => {
      res.status(201).json({});
    });
    app.delete('/things/:id', (req, res) => {
      if (req.params.id === 'json') res.json({ removed: true });
      else if (req.params.id === 'json204') res.status(204).json({ removed: true });
      else res.status(204).end();
    });
    app.use((_req, res) => {
      res.status(404).json({ error: { code: 'not_found', message: 'no such endpoint' } });
    });
    server = await serve(app);
  });
  afterAll(() => server.close());

  const refused = (message: string) => ({
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: `response does not match its documented schema: ${message}`,
      },
    },
  });

  it('passes documented answers unchanged, refusals and unknown endpoints too', async () => {
    expect(await server.call('GET', '/things/good')).toEqual({
      status: 200,
      body: { id: 'good', n: 1, tags: [{ k: 'a' }] },
    });
    expect((await server.call('GET', '/things/gone')).status).toBe(404);
    expect((await server.call('DELETE', '/things/x')).status).toBe(204);
    expect((await server.call('GET', '/nothing/here')).status).toBe(404);
    expect(logged).toEqual([]);
  });

  it('answers 500 to a body its schema refuses, and logs zod issues', async () => {
    expect(await server.call('GET', '/things/wrong')).toEqual(
      refused('n: Invalid input: expected number, received string'),
    );
    const entry = logged.pop()!;
    expect(entry.msg).toBe('API response does not match its documented schema');
    expect(entry.o).toMatchObject({
      method: 'GET',
      path: '/things/wrong',
      route: '/things/{id}',
      status: 200,
      issues: [expect.objectContaining({ path: ['n'], code: 'invalid_type' })],
    });
  });

  it('answers 500 to a key the schema does not know', async () => {
    expect(await server.call('GET', '/things/extra')).toEqual(
      refused('tags.0.secret: not in the documented schema'),
    );
    logged.pop();
  });

  it('answers 500 to a status the route does not document', async () => {
    expect(await server.call('GET', '/things/taken')).toEqual(
      refused('GET /things/{id} answered 409, which its document does not list'),
    );
    expect(await server.call('POST', '/things', {})).toEqual(
      refused('POST /things answered 201, not its documented 200'),
    );
    expect(await server.call('DELETE', '/things/json')).toEqual(
      refused('DELETE /things/{id} answered 200, not its documented 204'),
    );
    expect(await server.call('DELETE', '/things/json204')).toEqual(
      refused('DELETE /things/{id} answered a JSON body; its document has none'),
    );
    logged.splice(0);
  });

  it('answers 500 to an error not of the one error shape', async () => {
    expect(await server.call('GET', '/things/shapeless')).toEqual(
      refused('error: Invalid input: expected object, received undefined'),
    );
    logged.pop();
  });
});

describe('finding the route of a request', () => {
  const match = routeMatcher(docs);
  it('matches as express does: one segment a parameter, any case, a trailing slash', () => {
    expect(match('GET', '/things/abc')?.summary).toBe('One thing');
    expect(match('HEAD', '/Things/abc/')?.summary).toBe('One thing');
    expect(match('DELETE', '/things/abc')?.summary).toBe('Remove');
    expect(match('GET', '/things/abc/def')).toBeUndefined();
    expect(match('GET', '/things')).toBeUndefined();
    expect(match('PUT', '/things/abc')).toBeUndefined();
  });
});

describe('the staff API with API_CHECK_RESPONSES', () => {
  it('is off unless configured', () => {
    expect(loadConfig({}).API_CHECK_RESPONSES).toBe(false);
    expect(loadConfig({ API_CHECK_RESPONSES: 'true' }).API_CHECK_RESPONSES).toBe(true);
    expect(() => loadConfig({ API_CHECK_RESPONSES: 'sometimes' })).toThrow('API_CHECK_RESPONSES');
  });

  it('checks the answers of apiRouter, its document and refusals', async () => {
    const logged: Logged[] = [];
    const deps = {
      sessions: { viewerFromCookie: async () => null },
      log: logTo(logged),
      checkResponses: true,
    } as unknown as ApiDeps;
    const app = express();
    app.use('/api/v1', apiRouter(deps));
    const server = await serve(app);
    try {
      expect((await server.call('GET', '/api/v1/openapi.json')).status).toBe(200);
      expect(await server.call('POST', '/api/v1/session', { username: '' })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid', field: 'username' } },
      });
      expect((await server.call('GET', '/api/v1/me')).status).toBe(401);
      expect((await server.call('GET', '/api/v1/nothing')).status).toBe(401);
      expect(logged).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
