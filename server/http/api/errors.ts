// One error shape for the whole API: { error: { code, message, field? } } (docs/api.md). The one
// place where a DomainError becomes an HTTP answer.
import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { errorSchema, type ErrorBody } from '../../../contract/errors.js';
import { DomainError, type DomainErrorCode } from '../../errors.js';

/** The status of each refusal. */
export const httpStatus = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
} as const satisfies Record<DomainErrorCode, number>;

export { errorSchema, type ErrorBody };

/** What the API answers to a refusal: status, headers and body. */
export function httpError(e: DomainError): {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
} {
  return {
    status: httpStatus[e.code],
    headers: e.retryAfterS === undefined ? {} : { 'Retry-After': String(e.retryAfterS) },
    body: { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } },
  };
}

/** The answer to anything else thrown: its details stay in the log. */
export const internalErrorBody = {
  error: { code: 'internal', message: 'internal error' },
} as const satisfies ErrorBody;

/** The first issue's dotted path; an unknown key is named itself, not the object holding it. */
export function fieldOf(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) at.push(issue.keys[0]);
  return at.join('.');
}

/** Parses input with its schema; the first problem becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldOf(issue);
  throw new DomainError(
    'invalid',
    field ? `${field}: ${issue.message}` : issue.message,
    field || undefined,
  );
}

const send = (res: Response, e: DomainError) => {
  const { status, headers, body } = httpError(e);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json(body);
};

/** Turns anything thrown in a route into the one shape; unknown errors are 500 and logged. */
export function errorHandler(log: { error(o: object, msg: string): void }): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof DomainError) return send(res, err);
    // express.json(): a body that is not JSON, or too large
    const status = (err as { status?: number; type?: string } | null)?.status;
    if (status === 400 || status === 413) {
      const refusal = 'the body is not valid JSON or is too large';
      return send(res, new DomainError('invalid', refusal, undefined, { cause: err }));
    }
    log.error({ err }, 'API request failed');
    res.status(500).json(internalErrorBody);
  };
}
