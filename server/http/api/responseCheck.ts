// API_CHECK_RESPONSES (on in every test hub): each JSON body the staff API sends is checked
// against what the OpenAPI document says of its route (openapi.ts): a success against the
// route's `response` schema, a refusal or failure against the Error schema, and its status
// against those the route lists. A mismatch is logged with zod's issues and answered 500, so
// that the test whose request got an answer of another shape than documented fails.
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { errorSchema } from './errors.js';
import { documentedStatuses, successStatus } from './openapi.js';
import type { RouteDoc } from './openapiTypes.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds the RouteDoc of a request by its method and path (relative to /api/v1), matching as
 * express does: a parameter is one segment, case does not matter, a trailing slash may follow.
 */
export function routeMatcher(
  routes: RouteDoc[],
): (method: string, path: string) => RouteDoc | undefined {
  const compiled = routes.map((doc) => ({
    doc,
    method: doc.method.toUpperCase(),
    pattern: new RegExp(
      `^${doc.path
        .split(/\{\w+\}/)
        .map(escape)
        .join('[^/]+')}/?$`,
      'i',
    ),
  }));
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method;
    return compiled.find((c) => c.method === m && c.pattern.test(path))?.doc;
  };
}

export interface ResponseProblem {
  message: string;
  issues?: z.core.$ZodIssue[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** The first key sent that the schema does not know (zod strips it; the document forbids it). */
function unknownKey(sent: unknown, kept: unknown, path = ''): string | null {
  if (Array.isArray(sent) && Array.isArray(kept)) {
    for (const [i, v] of sent.entries()) {
      const found = unknownKey(v, kept[i], at(path, i));
      if (found !== null) return found;
    }
  } else if (isObject(sent) && isObject(kept)) {
    for (const [k, v] of Object.entries(sent)) {
      if (!(k in kept)) return at(path, k);
      const found = unknownKey(v, kept[k], at(path, k));
      if (found !== null) return found;
    }
  }
  return null;
}

/** What a client receives of `body`, checked against `schema`. */
function schemaProblem(schema: z.ZodType, body: unknown): ResponseProblem | null {
  const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const parsed = schema.safeParse(sent);
  if (!parsed.success) {
    const { issues } = parsed.error;
    const text = issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    return { message: issues.length > 3 ? `${text}; ...` : text, issues };
  }
  const extra = unknownKey(sent, parsed.data);
  return extra === null ? null : { message: `${extra}: not in the documented schema` };
}

/**
 * Whether a JSON answer is what the document says of its route; null when it is. `doc`
 * undefined: no route matched (an unknown endpoint), whose refusal is still the Error shape.
 */
export function responseProblem(
  doc: RouteDoc | undefined,
  status: number,
  body: unknown,
): ResponseProblem | null {
  const route = doc ? `${doc.method.toUpperCase()} ${doc.path}` : 'an unknown endpoint';
  if (status >= 400) {
    if (doc && !documentedStatuses(doc).includes(status)) {
      return { message: `${route} answered ${status}, which its document does not list` };
    }
    return schemaProblem(errorSchema, body);
  }
  if (!doc) return null;
  if (status !== successStatus(doc)) {
    return { message: `${route} answered ${status}, not its documented ${successStatus(doc)}` };
  }
  if (!doc.response) return { message: `${route} answered a JSON body; its document has none` };
  return schemaProblem(doc.response, body);
}

/** Wraps res.json: an answer other than documented is logged and becomes a 500. */
export function responseCheck(
  routes: RouteDoc[],
  log: { error(o: object, msg: string): void },
): RequestHandler {
  const match = routeMatcher(routes);
  return (req, res, next) => {
    const doc = match(req.method, req.path);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const problem = responseProblem(doc, res.statusCode, body);
      if (!problem) return json(body);
      log.error(
        {
          method: req.method,
          path: req.originalUrl,
          route: doc?.path ?? null,
          status: res.statusCode,
          problem: problem.message,
          issues: problem.issues ?? [],
        },
        'API response does not match its documented schema',
      );
      res.status(500);
      return json({
        error: {
          code: 'internal',
          message: `response does not match its documented schema: ${problem.message}`,
        },
      });
    };
    next();
  };
}
