// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
// (zod's own z.toJSONSchema), so the document cannot drift from what the server accepts.
import { z } from 'zod';
import { errorSchema } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

const json = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export function openApiDocument(routes: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
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
    const status = String(r.status ?? 200);
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
        [status]: r.response
          ? {
              description: 'OK',
              content: { 'application/json': { schema: json(r.response, 'output') } },
            }
          : { description: 'Done' },
        '400': errorResponse('invalid: `field` names the first field at fault'),
        '401': errorResponse('unauthenticated'),
        '403': errorResponse('forbidden: the role may not do this'),
        '404': errorResponse('not found, or outside your care units'),
        '429': errorResponse('too many failed sign-ins; see Retry-After'),
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
