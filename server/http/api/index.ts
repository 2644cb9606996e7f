// /api/v1: the staff API (docs/api.md). Sign-in and the OpenAPI document need no session;
// everything else does, and answers only about the person's own patients.
import express, { Router } from 'express';
import { z } from 'zod';
import { alertRoutes, alertsRouter } from './alerts.js';
import { authenticate, type ApiDeps } from './context.js';
import { deviceRoutes, devicesRouter } from './devices.js';
import { DomainError } from '../../errors.js';
import { errorHandler } from './errors.js';
import { onCallRoutes, onCallRouter } from './oncall.js';
import { openApiDocument } from './openapi.js';
import type { RouteDoc } from './openapiTypes.js';
import { patientRoutes, patientsRouter } from './patients.js';
import { pushRoutes, pushRouter } from './push.js';
import { responseCheck } from './responseCheck.js';
import { sessionRoutes, sessionRouter, signInRouter } from './session.js';

export type { ApiDeps } from './context.js';

/**
 * Every route of the staff API, as the OpenAPI document describes it. test/unit/openapi.test.ts
 * holds it to the routes `apiRouter` registers, both ways.
 */
export const apiRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    public: true,
    response: z.looseObject({
      openapi: z.string(),
      paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    }),
  },
  ...sessionRoutes,
  ...patientRoutes,
  ...deviceRoutes,
  ...alertRoutes,
  ...onCallRoutes,
  ...pushRoutes,
];

export function apiRouter(deps: ApiDeps): Router {
  const api = Router();
  // first, so that it sees every answer, express.json()'s refusals too
  if (deps.checkResponses) api.use(responseCheck(apiRoutes, deps.log));
  api.use(express.json({ limit: '256kb' }));
  // every answer is about one person: never cached by a shared proxy
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const document = openApiDocument(apiRoutes);
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  api.use(signInRouter(deps));
  api.use(authenticate(deps));
  api.use(sessionRouter());
  api.use(patientsRouter(deps));
  api.use(devicesRouter(deps));
  api.use(alertsRouter(deps));
  api.use(onCallRouter(deps));
  api.use(pushRouter(deps));
  api.use(() => {
    throw new DomainError('not_found', 'no such endpoint');
  });
  api.use(errorHandler(deps.log));
  return api;
}
