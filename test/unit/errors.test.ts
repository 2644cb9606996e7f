// The one domain error, its two mappings (staff API, admin CLI), and failures logged with their
// stack.
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, exitCodes, EXIT_FAILED, EXIT_USAGE } from '../../server/admin/cli.js';
import { DomainError, domainErrorCodes, isDomainErrorCode } from '../../server/errors.js';
import {
  errorHandler,
  errorSchema,
  httpError,
  httpStatus,
  internalErrorBody,
} from '../../server/http/api/errors.js';
import { createLogger } from '../../server/ops/log.js';

/** What the error middleware answered, without express. */
function answer(err: unknown) {
  const logged: { o: object; msg: string }[] = [];
  const out = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    setHeader(name: string, value: string) {
      out.headers[name] = value;
      return res;
    },
    status(code: number) {
      out.status = code;
      return res;
    },
    json(body: unknown) {
      out.body = body;
      return res;
    },
  };
  const handle = errorHandler({ error: (o, msg) => logged.push({ o, msg }) });
  void handle(err, {} as Request, res as unknown as Response, (() => {}) as NextFunction);
  return { ...out, logged };
}

/** A logger writing to a buffer: the JSON lines it wrote. */
function bufferLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('debug', {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { log, lines };
}

describe('DomainError', () => {
  it('carries a code, a message, the field at fault and a cause', () => {
    const cause = new Error('constraint violated');
    const e = new DomainError('conflict', 'username anna is taken', 'username', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'conflict', message: 'username anna is taken' });
    expect(e.field).toBe('username');
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('DomainError');
    expect(e.stack).toMatch(/^DomainError: username anna is taken\n\s+at /);
  });

  it('knows its codes', () => {
    for (const code of domainErrorCodes) expect(isDomainErrorCode(code)).toBe(true);
    expect(isDomainErrorCode('internal')).toBe(false);
    expect(isDomainErrorCode(undefined)).toBe(false);
  });
});

describe('DomainError -> HTTP (the staff API)', () => {
  it('gives every code a 4xx status, and the body the one error shape', () => {
    expect(Object.keys(httpStatus).sort()).toEqual([...domainErrorCodes].sort());
    for (const code of domainErrorCodes) {
      const { status, body } = httpError(new DomainError(code, `refused: ${code}`));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(body).toEqual({ error: { code, message: `refused: ${code}` } });
      expect(errorSchema.parse(body)).toEqual(body);
    }
    expect(httpStatus).toEqual({
      invalid: 400,
      unauthenticated: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      too_many: 429,
    });
  });

  it('carries the field, and Retry-After for too_many', () => {
    const r = answer(new DomainError('invalid', 'a snooze needs a reason', 'reason'));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: 'invalid', message: 'a snooze needs a reason', field: 'reason' },
    });
    expect(r.headers).toEqual({});
    const locked = answer(new DomainError('too_many', 'try later', undefined, { retryAfterS: 42 }));
    expect(locked.status).toBe(429);
    expect(locked.headers).toEqual({ 'Retry-After': '42' });
    expect(locked.body).toEqual({ error: { code: 'too_many', message: 'try later' } });
    expect(r.logged).toEqual([]);
  });

  it('answers a body express.json() could not read as invalid', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413 });
    const r = answer(tooLarge);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: 'invalid', message: 'the body is not valid JSON or is too large' },
    });
  });

  it('answers anything else 500 with a generic body, and logs the error itself', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const r = answer(bug);
    expect(r.status).toBe(500);
    expect(r.body).toEqual(internalErrorBody);
    expect(JSON.stringify(r.body)).not.toContain('Cannot read');
    expect(r.logged).toHaveLength(1);
    expect(r.logged[0]!.msg).toBe('API request failed');
    expect((r.logged[0]!.o as { err: unknown }).err).toBe(bug);
  });
});

describe('DomainError -> exit code (the admin CLI)', () => {
  it('gives every code an exit code of a refusal, apart from usage and failure', () => {
    expect(Object.keys(exitCodes).sort()).toEqual([...domainErrorCodes].sort());
    for (const code of domainErrorCodes) {
      const exit = exitCodeOf(new DomainError(code, 'refused', 'field'));
      expect(exit).toBe(exitCodes[code]);
      expect(exit).toBe(1);
      expect([0, EXIT_USAGE, EXIT_FAILED]).not.toContain(exit);
    }
  });

  it('answers anything else with the failure code', () => {
    expect(exitCodeOf(new Error('connect ECONNREFUSED'))).toBe(EXIT_FAILED);
    expect(exitCodeOf('a string')).toBe(EXIT_FAILED);
    expect(EXIT_FAILED).toBe(3);
    expect(EXIT_USAGE).toBe(2);
  });
});

describe('a logged failure', () => {
  it('keeps its stack, type and message', () => {
    const { log, lines } = bufferLogger();
    const err = new Error('connection terminated unexpectedly');
    log.warn({ err }, 'escalation check failed'); // as the hub logs it
    const line = lines[0]!;
    expect(line.msg).toBe('escalation check failed');
    expect(line.err).toMatchObject({
      type: 'Error',
      message: 'connection terminated unexpectedly',
    });
    const stack = (line.err as { stack: string }).stack;
    expect(stack).toMatch(/^Error: connection terminated unexpectedly\n\s+at /);
    expect(stack).toContain('errors.test.ts');
  });

  it("keeps a domain error's code and field, and its cause's stack", () => {
    const { log, lines } = bufferLogger();
    const cause = new Error('duplicate key value violates unique constraint');
    const err = new DomainError('conflict', 'username anna is taken', 'username', { cause });
    log.error({ err, command: 'staff add' }, 'admin command failed');
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'DomainError', code: 'conflict', field: 'username' });
    expect(logged.stack).toMatch(/^DomainError: username anna is taken\n/);
    expect(logged.stack).toMatch(/caused by: Error: duplicate key value/);
  });

  it('censors what a database error carries of the rows', () => {
    const { log, lines } = bufferLogger();
    const err = Object.assign(
      new Error('null value in column "unit" violates not-null constraint'),
      {
        code: '23502',
        query: 'INSERT INTO devices (id, secret_hash) VALUES ($1, $2)',
        params: ['dev_1', 'scrypt$abc'],
        detail: 'Failing row contains (dev_1, scrypt$abc).',
      },
    );
    log.error({ err }, 'message refused by the database');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('scrypt$');
    expect(lines[0]!.err).toMatchObject({
      code: '23502',
      params: '[redacted]',
      detail: '[redacted]',
      query: 'INSERT INTO devices (id, secret_hash) VALUES ($1, $2)',
    });
    expect((lines[0]!.err as { stack: string }).stack).toContain('errors.test.ts');
  });
});
