// Web Push subscriptions of the signed-in person (server/notify/webPush.ts): the hub's public
// VAPID key for the browser to subscribe with, and the browser's subscription, saved or removed.
// Not patient data: nothing here is audited in a patient's trail.
import { Router } from 'express';
import {
  pushKeySchema,
  pushSubscriptionSchema,
  unsubscribeQuerySchema,
} from '../../../contract/push.js';
import { DomainError } from '../../errors.js';
import { removePushSubscription, savePushSubscription } from '../../notify/pushSubscriptions.js';
import { viewerOf, type ApiDeps } from './context.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

export const pushRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/push/key',
    summary: "The hub's VAPID public key to subscribe with, or null: push is not configured",
    response: pushKeySchema,
  },
  {
    method: 'post',
    path: '/push/subscriptions',
    summary: "Save this browser's push subscription for the signed-in person",
    body: pushSubscriptionSchema,
    status: 204,
    refusals: ['conflict'],
  },
  {
    method: 'delete',
    path: '/push/subscriptions',
    summary: "Forget this browser's push subscription (the person's own)",
    query: unsubscribeQuerySchema,
    status: 204,
  },
];

export function pushRouter(deps: ApiDeps): Router {
  const r = Router();

  r.get('/push/key', (_req, res) => {
    viewerOf(res);
    res.json({ publicKey: deps.pushPublicKey ?? null });
  });

  r.post('/push/subscriptions', async (req, res) => {
    const viewer = viewerOf(res);
    const body = parseInput(pushSubscriptionSchema, req.body ?? {});
    if (!deps.pushPublicKey) {
      throw new DomainError('conflict', 'push notifications are not configured on this hub');
    }
    await savePushSubscription(deps.db, viewer.id, body);
    res.status(204).end();
  });

  r.delete('/push/subscriptions', async (req, res) => {
    const viewer = viewerOf(res);
    const q = parseInput(unsubscribeQuerySchema, req.query);
    await removePushSubscription(deps.db, viewer.id, q.endpoint);
    res.status(204).end();
  });

  return r;
}
