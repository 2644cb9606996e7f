// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
// (zod's own z.toJSONSchema), so the document cannot drift from what the server accepts. Each
// route lists the answers it really gives: its success, the refusals a route of its kind can
// answer (refusalsOf) and 500; response checking (responseCheck.ts) holds the server to them.
import { z } from 'zod';
import type { DomainErrorCode } from '../../errors.js';
import { errorSchema, httpStatus } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

const json = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });

/** The path parameters of a template: `/alerts/{id}/snooze` -> `['id']`. */
export const pathParams = (path: string): string[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/**
 * The refusals a route may answer, in status order: `invalid` always (a request body that is not
 * JSON, or over 256 KiB, is refused before any route; a route's own body or query too),
 * `unauthenticated` unless it needs no session, `forbidden` and `not_found` when it names a
 * thing by a path parameter (the person's access to it is checked), and those it says itself.
 */
export function refusalsOf(r: RouteDoc): DomainErrorCode[] {
  const named = pathParams(r.path).length > 0;
  const codes = new Set<DomainErrorCode>(r.refusals ?? []);
  codes.add('invalid');
  if (!r.public) codes.add('unauthenticated');
  if (!r.public && named) codes.add('forbidden');
  if (named) codes.add('not_found');
  return [...codes].sort((a, b) => httpStatus[a] - httpStatus[b]);
}

/** The success status of a route. */
export const successStatus = (r: RouteDoc): number => r.status ?? 200;

/** Every status a route may answer: its success, its refusals' and 500. */
export function documentedStatuses(r: RouteDoc): number[] {
  return [successStatus(r), ...refusalsOf(r).map((c) => httpStatus[c]), 500];
}

const refusalText: Record<DomainErrorCode, string> = {
  invalid:
    'invalid: `field` names the first field at fault; or the body is not JSON or over 256 KiB',
  unauthenticated: 'unauthenticated: no session, or it has ended',
  forbidden: 'forbidden: the role may not do this',
  not_found: 'not_found: no such thing, or outside your care units',
  conflict: 'conflict: the present state does not allow it',
  too_many: 'too_many: too many attempts; try again after Retry-After seconds',
};

const errorContent = {
  'application/json': { schema: { $ref: '#/components/schemas/Error' } },
};

function refusal(code: DomainErrorCode, r: RouteDoc) {
  const description =
    code === 'unauthenticated' && r.public ? 'unauthenticated: a wrong name or password' : null;
  return {
    description: description ?? refusalText[code],
    ...(code === 'too_many'
      ? {
          headers: {
            'Retry-After': {
              description: 'seconds until trying again may succeed',
              schema: { type: 'integer', minimum: 0 },
            },
          },
        }
      : {}),
    content: errorContent,
  };
}

function success(r: RouteDoc) {
  if (!r.response) return { description: 'No content' };
  return {
    description: 'OK',
    content: { 'application/json': { schema: json(r.response, 'output') } },
  };
}

export function openApiDocument(routes: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = pathParams(r.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = r.query
      ? Object.entries(r.query.shape).map(([name, s]) => ({
          name,
          in: 'query',
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: json(s as z.ZodType, 'input'),
        }))
      : [];
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(r.public ? { security: [] } : {}),
      parameters: [...params, ...query],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: json(r.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(successStatus(r))]: success(r),
        ...Object.fromEntries(
          refusalsOf(r).map((code) => [String(httpStatus[code]), refusal(code, r)]),
        ),
        '500': {
          description: "internal: an unexpected failure; its details are in the hub's log",
          content: errorContent,
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telehealth hub staff API',
      version: '1',
      description: 'See docs/api.md. Errors: { error: { code, message, field? } }.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'th_session' } },
      schemas: { Error: json(errorSchema, 'output') },
    },
    security: [{ session: [] }],
    paths,
  };
}
