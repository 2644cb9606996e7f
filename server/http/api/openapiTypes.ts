// How each router describes its routes for the OpenAPI document (server/http/api/openapi.ts).
import type { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Under /api/v1, with {param} placeholders. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** 200 unless said. */
  status?: number;
  /** Needs no session. */
  public?: boolean;
}
