// What every API router needs: the hub's parts, the signed-in person, their access to a
// patient, and the audit trail of what they read or changed.
import type { Request, RequestHandler, Response } from 'express';
import type { Alerts } from '../../alerts/lifecycle.js';
import type { Sessions, Viewer } from '../../auth/sessions.js';
import type { SignIn } from '../../auth/signIn.js';
import { accessTo } from '../../access/scope.js';
import { appendAudit, type AuditVia } from '../../audit/log.js';
import type { Logger } from '../../ops/log.js';
import type { Db } from '../../store/db.js';
import { DomainError } from '../../errors.js';

export interface ApiDeps {
  db: Db;
  alerts: Alerts;
  sessions: Sessions;
  signIn: SignIn;
  /** The running rules forget a cached plan (after a change through the API). */
  planChanged(patientId: string): void;
  /** The broker drops a revoked device's connection at once. */
  deviceRevoked(deviceId: string): void;
  log: Logger;
  now(): Date;
  /** The hub's VAPID public key when Web Push is configured (GET /push/key). */
  pushPublicKey?: string | undefined;
  /**
   * API_CHECK_RESPONSES: every JSON answer is checked against its route's documented schema
   * and statuses; one that differs is logged and answered 500 (responseCheck.ts; for tests).
   */
  checkResponses?: boolean;
}

/** The signed-in person; 401 unless `authenticate` found a session. */
export function viewerOf(res: Response): Viewer {
  const viewer = res.locals.viewer as Viewer | undefined;
  if (!viewer) throw new DomainError('unauthenticated', 'sign in first');
  return viewer;
}

export function authenticate(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    const viewer = await deps.sessions.viewerFromCookie(req.headers.cookie);
    if (!viewer)
      throw new DomainError('unauthenticated', 'sign in first (no session, or it has ended)');
    res.locals.viewer = viewer;
    next();
  };
}

/** The address the request came from (behind a proxy: configure express' trust proxy). */
export const ipOf = (req: Request): string | null => req.ip ?? req.socket.remoteAddress ?? null;

/** 403: the person's unit follows the patient, but their role there is not clinical. */
export const notClinical = () =>
  new DomainError(
    'forbidden',
    'your role in the units following this patient does not allow this (clinical data needs a nurse or physician role)',
  );

/**
 * Checks the person may do `need` with the patient: 404 when no unit of theirs follows the
 * patient, 403 when one does but their role there does not allow it.
 */
export async function requirePatient(
  deps: ApiDeps,
  viewer: Viewer,
  patientId: string,
  need: 'clinical' | 'manage',
): Promise<void> {
  const access = await accessTo(deps.db, viewer, patientId);
  if (!access) throw new DomainError('not_found', `patient ${patientId} does not exist`);
  const ok = need === 'clinical' ? access.clinical : access.clinical || access.admin;
  if (!ok) throw notClinical();
}

/** Appends to the audit trail what this person read or changed of these patients. */
export function audit(
  deps: ApiDeps,
  req: Request,
  viewer: Viewer,
  patientIds: string[],
  action: string,
  detail?: Record<string, unknown>,
  /** Through what the person reached the patients ('care' unless said). */
  via?: AuditVia,
): Promise<void> {
  return appendAudit(deps.db, {
    staffId: viewer.id,
    patientIds,
    action,
    ip: ipOf(req),
    at: deps.now(),
    ...(detail ? { detail } : {}),
    ...(via ? { via } : {}),
  });
}
