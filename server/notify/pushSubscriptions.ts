// The browsers each staff member allowed to show notifications (push_subscriptions): saved and
// removed by the staff API, read by the Web Push notifier, which forgets the ones their push
// service says are gone. The only code that writes SQL for push_subscriptions.
import type { Queryable } from '../store/db.js';

export interface PushSubscriptionRecord {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Saves a browser's subscription for the person (an endpoint another person had is theirs now). */
export async function savePushSubscription(
  db: Queryable,
  staffId: string,
  s: PushSubscriptionRecord,
): Promise<void> {
  await db.query(
    `INSERT INTO push_subscriptions (endpoint, staff_id, p256dh, auth) VALUES ($1, $2, $3, $4)
     ON CONFLICT (endpoint) DO UPDATE SET staff_id = EXCLUDED.staff_id, p256dh = EXCLUDED.p256dh,
       auth = EXCLUDED.auth, created_at = now()`,
    [s.endpoint, staffId, s.keys.p256dh, s.keys.auth],
  );
}

/** Removes one of the person's subscriptions; false when they had none at that endpoint. */
export async function removePushSubscription(
  db: Queryable,
  staffId: string,
  endpoint: string,
): Promise<boolean> {
  const { rows } = await db.query(
    'DELETE FROM push_subscriptions WHERE endpoint = $1 AND staff_id = $2 RETURNING endpoint',
    [endpoint, staffId],
  );
  return rows.length > 0;
}

/** The person's subscriptions, oldest first. */
export async function pushSubscriptionsOf(
  db: Queryable,
  staffId: string,
): Promise<PushSubscriptionRecord[]> {
  const { rows } = await db.query<{ endpoint: string; p256dh: string; auth: string }>(
    'SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE staff_id = $1 ORDER BY created_at',
    [staffId],
  );
  return rows.map((r) => ({ endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }));
}

/** Forgets a subscription its push service says is gone. */
export async function forgetPushEndpoint(db: Queryable, endpoint: string): Promise<void> {
  await db.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint]);
}
