// Web Push (notifications on a staff member's phone or computer when an alert escalates to them)
// as the staff API offers it: the hub's public VAPID key, and the browser's subscription.
import { z } from 'zod';

/** The hub's VAPID public key (base64url), or null when Web Push is not configured. */
export const pushKeySchema = z.object({ publicKey: z.string().nullable() });
export type PushKey = z.infer<typeof pushKeySchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url');

/**
 * A browser's PushSubscription as `subscription.toJSON()` gives it. The endpoint is the push
 * service's and must be https: the hub posts to it, so a plain or internal address is refused.
 */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64url.max(200), auth: base64url.max(100) }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

/** Which subscription to forget: the endpoint. */
export const unsubscribeQuerySchema = z.object({ endpoint: z.string().min(1).max(2000) });
