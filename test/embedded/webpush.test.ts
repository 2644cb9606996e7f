// Web Push when an alert escalates to the nurse on call: her browser's subscription is saved
// through the staff API (only an https push service's), and the escalation's push reaches a push
// service in the test process over HTTPS, signed with the hub's VAPID key and encrypted so that
// only her browser reads it: the patient's initials, the severity and the link, nothing more. A
// subscription its push service says is gone is forgotten.
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pushSubscriptionsOf,
  savePushSubscription,
} from '../../server/notify/pushSubscriptions.js';
import { apiClient, type ApiClient } from '../support/apiClient.js';
import { finding } from '../support/finding.js';
import { startTestHub, type TestEnv } from '../support/hub.js';
import { seedOnCall, type OnCallSeed } from '../support/onCallSeed.js';
import { startPushService, type TestPushService } from '../support/pushService.js';
import { waitFor } from '../support/realtimeSuite.js';

const MINUTE = 60_000;
const PUBLIC_URL = 'https://hemvard.example.se/';

describe('web push to the nurse on call', () => {
  const vapid = webpush.generateVAPIDKeys();
  let env: TestEnv;
  let push: TestPushService;
  let seed: OnCallSeed;
  let nurse: ApiClient;

  beforeAll(async () => {
    push = await startPushService();
    env = await startTestHub('embedded', {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:drift@example.se',
      PUBLIC_URL,
    });
    seed = await seedOnCall(env.hub.db);
    nurse = apiClient(env.hub.urls.http);
    expect((await nurse.signIn('eva.jour', seed.onCall.password)).status).toBe(200);
  });
  afterAll(async () => {
    await env?.close();
    await push?.close();
  });

  /** An alert of the patient, escalated to the on-call unit; its id. */
  async function escalated(rule: string): Promise<string> {
    const now = Date.now();
    const a = await env.hub.alerts.raise(seed.patientId, finding(rule, 'critical'), new Date(now));
    await env.hub.alerts.escalateDue(new Date(now + 15 * MINUTE));
    await env.hub.alerts.escalateDue(new Date(now + 30 * MINUTE));
    return a.alertId;
  }

  it("gives the hub's public key and saves only an https push service's subscription", async () => {
    expect((await nurse.call('GET', '/push/key')).body).toEqual({ publicKey: vapid.publicKey });
    const keys = {
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQ',
      auth: 'tBHItJI5svbpez7KI4CCXg',
    };
    for (const endpoint of ['http://push.example.com/x', 'https://127.0.0.1/x', 'not a url']) {
      const r = await nurse.call('POST', '/push/subscriptions', { endpoint, keys });
      expect(r.status).toBe(400);
      expect(r.body.error?.field).toBe('endpoint');
    }
    const endpoint = 'https://updates.push.example.com/wpush/v2/abc';
    expect((await nurse.call('POST', '/push/subscriptions', { endpoint, keys })).status).toBe(204);
    expect((await pushSubscriptionsOf(env.hub.db, seed.onCall.id)).map((s) => s.endpoint)).toEqual([
      endpoint,
    ]);
    const q = `?endpoint=${encodeURIComponent(endpoint)}`;
    expect((await nurse.call('DELETE', `/push/subscriptions${q}`)).status).toBe(204);
    expect(await pushSubscriptionsOf(env.hub.db, seed.onCall.id)).toEqual([]);
  });

  it('pushes the escalation to her browser, signed and encrypted, naming the patient by initials', async () => {
    // saved as the API would, at the loopback address of the test's push service
    const browser = push.subscribe();
    await savePushSubscription(env.hub.db, seed.onCall.id, browser);
    const alertId = await escalated('push.crit');
    const endpointId = browser.endpoint.split('/').at(-1)!;
    await waitFor(
      () => push.received.some((r) => r.subscription === endpointId),
      'the push at the push service',
    );
    const received = push.received.find((r) => r.subscription === endpointId)!;
    expect(received.headers['content-encoding']).toBe('aes128gcm');
    expect(received.headers.urgency).toBe('high');
    expect(received.headers.ttl).toBe('3600');
    expect(received.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
    expect(received.headers.authorization).toContain(`k=${vapid.publicKey}`);
    // the body is ciphertext: only her browser's keys read it
    expect(received.body.toString('latin1')).not.toContain('K. L.');
    const payload = JSON.parse(browser.decrypt(received.body)) as Record<string, string>;
    expect(payload).toEqual({
      title: 'Larm till jouren: patient K. L. (kritiskt) / On-call alert: patient K. L. (critical)',
      body: expect.stringContaining('patient K. L.'),
      url: `${PUBLIC_URL}#/alerts/${alertId}`,
    });
    expect(JSON.stringify(payload)).not.toMatch(/Karin|Lind/);
  });

  it('forgets a subscription its push service says is gone', async () => {
    const gone = push.subscribe(410);
    await savePushSubscription(env.hub.db, seed.onCall.id, gone);
    await escalated('push.gone');
    await waitFor(
      () => push.received.some((r) => gone.endpoint.endsWith(r.subscription)),
      'the push to the gone subscription',
    );
    const endpoints = async () =>
      (await pushSubscriptionsOf(env.hub.db, seed.onCall.id)).map((s) => s.endpoint);
    for (let i = 0; i < 100 && (await endpoints()).includes(gone.endpoint); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await endpoints()).not.toContain(gone.endpoint);
    expect((await endpoints()).length).toBe(1); // the working browser stays
  });
});
