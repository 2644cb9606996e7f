// Sign-in, sign-out and "who am I".
import { Router } from 'express';
import { meSchema, signInSchema } from '../../../contract/session.js';
import { loadViewer } from '../../auth/sessions.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import { ipOf, viewerOf, type ApiDeps } from './context.js';
import type { RouteDoc } from './openapiTypes.js';

export const sessionRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/session',
    summary: 'Sign in; sets the th_session cookie',
    body: signInSchema,
    response: meSchema,
    public: true,
    refusals: ['unauthenticated', 'too_many'],
  },
  { method: 'delete', path: '/session', summary: 'Sign out', status: 204, public: true },
  { method: 'get', path: '/me', summary: 'The signed-in person', response: meSchema },
];

/** Sign-in and sign-out need no session; /me does (mounted after `authenticate`). */
export function signInRouter(deps: ApiDeps): Router {
  const r = Router();
  r.post('/session', async (req, res) => {
    const { username, password } = parseInput(signInSchema, req.body ?? {});
    const result = await deps.signIn.attempt(username, password, ipOf(req));
    if (!result.ok && result.reason === 'locked') {
      deps.log.warn({ username, ip: ipOf(req) }, 'sign-in refused: too many failures');
      throw new DomainError('too_many', 'too many failed sign-ins; try again later', undefined, {
        retryAfterS: result.retryAfterS,
      });
    }
    if (!result.ok) throw new DomainError('unauthenticated', 'wrong username or password');
    const viewer = await loadViewer(deps.db, result.staffId);
    if (!viewer) throw new DomainError('unauthenticated', 'wrong username or password');
    const token = await deps.sessions.start(viewer.id, ipOf(req));
    res.setHeader('Set-Cookie', deps.sessions.setCookie(token, req.secure));
    deps.log.info({ staffId: viewer.id }, 'signed in');
    res.json(viewer);
  });
  // signing out always succeeds: a session that already ended is as good as deleted
  r.delete('/session', async (req, res) => {
    await deps.sessions.end(req.headers.cookie);
    res.setHeader('Set-Cookie', deps.sessions.clearCookie(req.secure));
    res.status(204).end();
  });
  return r;
}

export function sessionRouter(): Router {
  const r = Router();
  r.get('/me', (_req, res) => {
    res.json(viewerOf(res));
  });
  return r;
}
