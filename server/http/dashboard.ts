// The dashboard's built files (dashboards/dist, `npm run build:dashboard`), served by the hub
// itself so that the API, the socket and the page share one origin and one session cookie.
import { existsSync } from 'node:fs';
import express, { Router } from 'express';
import { fromRoot } from '../ops/packageRoot.js';

export const DASHBOARD_DIR = fromRoot('dashboards', 'dist');

// The page talks only to its own origin (API and socket.io); nothing else may load or frame it.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function dashboardRouter(dir = DASHBOARD_DIR): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  if (!existsSync(`${dir}/index.html`)) {
    r.get('/', (_req, res) => {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `npm run build:dashboard` and reload.\n');
    });
    return r;
  }
  // hashed asset names never change: cache them long; index.html always fresh
  r.use('/assets', express.static(`${dir}/assets`, { immutable: true, maxAge: '365d' }));
  r.use(express.static(dir, { index: false, maxAge: 0 }));
  // the page routes itself (e.g. /patients/p_1): any other GET that wants HTML gets the page
  r.get(/^\/(?!api\/|socket\.io\/|healthz|readyz|metrics).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.set('Cache-Control', 'no-cache').sendFile('index.html', { root: dir });
  });
  return r;
}
