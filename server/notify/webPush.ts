// Notifications by Web Push (RFC 8030, encrypted per RFC 8291, the hub identified by its VAPID
// keys: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT in server/config.ts) to each browser
// the person allowed (push_subscriptions); the dashboard's service worker shows it, and tapping
// it opens the alert. A subscription its push service says is gone (404, 410) is forgotten; one
// that fails otherwise does not keep the person's other browsers from being tried.
import webpush from 'web-push';
import type { Queryable } from '../store/db.js';
import type { Message, Notifier, Recipient } from './notifier.js';
import { forgetPushEndpoint, pushSubscriptionsOf } from './pushSubscriptions.js';

export interface Vapid {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** What the service worker shows (dashboards/public/sw.js): the subject, one line, the link. */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
}

/** A push message is for now: a phone that comes online tomorrow need not show it. */
const TTL_S = 60 * 60;

export function webPushNotifier(o: { db: Queryable; vapid: Vapid }): Notifier {
  return {
    kind: 'web push',
    async notify(person: Recipient, message: Message): Promise<boolean> {
      const subscriptions = await pushSubscriptionsOf(o.db, person.id);
      const payload: PushPayload = {
        title: message.subject,
        body: message.text.split('\n')[0]!,
        url: message.url,
      };
      let sent = false;
      let failure: unknown = null;
      for (const s of subscriptions) {
        try {
          await webpush.sendNotification(s, JSON.stringify(payload), {
            vapidDetails: o.vapid,
            contentEncoding: 'aes128gcm',
            TTL: TTL_S,
            urgency: 'high',
            timeout: 10_000,
          });
          sent = true;
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) await forgetPushEndpoint(o.db, s.endpoint);
          else failure ??= err; // the person's other browsers are still tried
        }
      }
      if (!sent && failure) throw failure;
      return sent;
    },
    async close() {},
  };
}
