// One error shape for the whole API: { error: { code, message, field? } } (docs/api.md).
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

export const errorCodes = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export const errorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorSchema>;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds, for `too_many`. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

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
  throw new ApiError(
    'invalid',
    field ? `${field}: ${issue.message}` : issue.message,
    field || undefined,
  );
}

const send = (res: Parameters<ErrorRequestHandler>[2], e: ApiError) => {
  if (e.retryAfterS !== undefined) res.setHeader('Retry-After', String(e.retryAfterS));
  const body: ErrorBody = {
    error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) },
  };
  res.status(errorCodes[e.code]).json(body);
};

/** Turns anything thrown in a route into the one shape; unknown errors are 500 and logged. */
export function errorHandler(log: { error(o: object, msg: string): void }): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof ApiError) return send(res, err);
    // express.json(): a body that is not JSON, or too large
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || status === 413) {
      return send(res, new ApiError('invalid', 'the body is not valid JSON or is too large'));
    }
    log.error({ err: (err as Error).message }, 'API request failed');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
