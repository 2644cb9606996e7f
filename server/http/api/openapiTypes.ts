// How each router describes its routes for the OpenAPI document (server/http/api/openapi.ts)
// and for the check of its answers (server/http/api/responseCheck.ts).
import type { z } from 'zod';
import type { DomainErrorCode } from '../../errors.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Under /api/v1, with {param} placeholders. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body of the success answer; none: it has no body (204). */
  response?: z.ZodType;
  /** 200 unless said. */
  status?: number;
  /** Needs no session. */
  public?: boolean;
  /**
   * Refusals beyond those a route of its kind gives (`refusalsOf` in openapi.ts): `invalid`
   * with a body or query, `unauthenticated` unless public, `forbidden` and `not_found` with a
   * path parameter. E.g. `conflict` where the present state may not allow the change.
   */
  refusals?: DomainErrorCode[];
}
