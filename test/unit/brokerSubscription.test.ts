// The external broker's readiness: connected is not enough, the SUBACK of this very connection
// must have granted every filter (issue 16: a session restored without its $share subscription).
import { describe, expect, it } from 'vitest';
import { reasonName, SubscriptionState } from '../../server/broker/subscription.js';

const FILTERS = [
  '$share/g/telehealth/v1/devices/+/readings',
  '$share/g/telehealth/v1/devices/+/gatt/+',
];

function state() {
  const changes: boolean[] = [];
  const s = new SubscriptionState(FILTERS, (live) => changes.push(live));
  return { s, changes };
}

describe('SubscriptionState', () => {
  it('is not ready before a connection, nor while its SUBACK is awaited', () => {
    const { s, changes } = state();
    expect(s.notReady()).toBe('broker not connected');
    s.connected();
    expect(s.phase).toBe('subscribing');
    expect(s.notReady()).toBe('subscribing to device topics');
    expect(changes).toEqual([]);
  });

  it('is ready once the SUBACK grants every filter, and not after the connection closes', () => {
    const { s, changes } = state();
    const at = s.connected();
    expect(s.suback(at, [1, 1])).toEqual({ kind: 'live', downgraded: [] });
    expect(s.notReady()).toBeNull();
    s.disconnected();
    expect(s.notReady()).toBe('broker not connected');
    expect(changes).toEqual([true, false]);
  });

  it('needs a new SUBACK on every connection, whatever the session', () => {
    const { s, changes } = state();
    s.suback(s.connected(), [1, 1]);
    s.disconnected();
    const second = s.connected(); // CONNACK sessionPresent=true changes nothing
    expect(s.notReady()).toBe('subscribing to device topics');
    s.suback(second, [1, 1]);
    expect(s.notReady()).toBeNull();
    expect(changes).toEqual([true, false, true]);
  });

  it('stays not ready when a filter is refused (a code of 128 or more), naming it', () => {
    const { s, changes } = state();
    const at = s.connected();
    const outcome = s.suback(at, [1, 0x87]);
    expect(outcome.kind).toBe('refused');
    expect(s.phase).toBe('refused');
    expect(s.notReady()).toBe(
      `broker refused the subscription: ${FILTERS[1]} (0x87 Not authorized)`,
    );
    // a retry that is granted makes it live
    s.subscribing(at);
    expect(s.notReady()).toBe('subscribing to device topics');
    expect(s.suback(at, [1, 1]).kind).toBe('live');
    expect(changes).toEqual([true]);
  });

  it('counts 0x80 (unspecified error) as a refusal and QoS 0 as granted but downgraded', () => {
    const { s } = state();
    expect(s.suback(s.connected(), [0x80, 1]).kind).toBe('refused');
    const { s: t } = state();
    expect(t.suback(t.connected(), [0, 1])).toEqual({ kind: 'live', downgraded: [FILTERS[0]] });
  });

  it('refuses a SUBACK with the wrong number of codes, and a subscribe that got none', () => {
    const { s } = state();
    const at = s.connected();
    expect(s.suback(at, [1])).toEqual({
      kind: 'refused',
      reason: 'SUBACK has 1 codes for 2 filters',
    });
    s.subscribing(at);
    expect(s.failed(at, 'client disconnecting')).toEqual({
      kind: 'refused',
      reason: 'subscribe failed: client disconnecting',
    });
    expect(s.notReady()).toBe('subscribe failed: client disconnecting');
  });

  it("ignores an earlier connection's SUBACK", () => {
    const { s, changes } = state();
    const first = s.connected();
    s.disconnected();
    const second = s.connected();
    expect(s.suback(first, [1, 1])).toEqual({ kind: 'stale' });
    expect(s.failed(first, 'connection closed')).toEqual({ kind: 'stale' });
    expect(s.notReady()).toBe('subscribing to device topics');
    s.disconnected();
    expect(s.suback(second, [1, 1])).toEqual({ kind: 'stale' });
    expect(s.notReady()).toBe('broker not connected');
    expect(changes).toEqual([]);
  });

  it('names reason codes as the MQTT 5 specification does', () => {
    expect(reasonName(0x87)).toBe('0x87 Not authorized');
    expect(reasonName(0x9e)).toBe('0x9e Shared Subscriptions not supported');
    expect(reasonName(0xfe)).toBe('0xfe');
  });
});
