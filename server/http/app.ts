// The HTTP side: operations endpoints and the staff API (/api/v1) the dashboards use.
import express, { type Express } from 'express';
import type { Metrics } from '../ops/metrics.js';
import { apiRouter, type ApiDeps } from './api/index.js';
import type { TrustProxy } from './trustProxy.js';

export interface HttpDeps {
  metrics: Metrics;
  /** The staff API's needs (server/http/api/); without them there is no /api/v1. */
  api?: ApiDeps;
  /** Each check resolves when its dependency answers; the name appears in /readyz. */
  readiness: Record<string, () => Promise<void>>;
  /** TRUST_PROXY: whose X-Forwarded-For gives req.ip (unset: nobody's). */
  trustProxy?: TrustProxy;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);

  // Alive: the process answers. Orchestrators restart it when this fails.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready: it can do its work (database and broker reachable). Load balancers route on this.
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          checks[name] = 'ok';
        } catch (err) {
          checks[name] = err instanceof Error ? err.message : 'failed';
        }
      }),
    );
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  if (deps.api) app.use('/api/v1', apiRouter(deps.api));

  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
