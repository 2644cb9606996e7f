import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { heapGrowthPercent } from '../../server/ops/heap.js';
import { DEFAULT_ESCALATION, formatEscalation } from '../../server/alerts/escalationLimits.js';
import { escalationCheckMs } from '../../server/alerts/escalationTimer.js';

describe('configuration from the environment', () => {
  it('runs embedded with no variables at all', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.MQTT_URL).toBeUndefined();
    expect(c).toMatchObject({
      MQTT_PORT: 1883,
      HTTP_PORT: 8080,
      DATA_DIR: './data',
      TIME_ZONE: 'Europe/Stockholm',
    });
  });

  it('reads services settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/hub',
      MQTT_URL: 'mqtt://broker:1883',
      HTTP_PORT: '9000',
    });
    expect(c).toMatchObject({
      DATABASE_URL: 'postgres://u@db:5432/hub',
      MQTT_URL: 'mqtt://broker:1883',
      HTTP_PORT: 9000,
    });
  });

  it('bounds the heap of a services hub, and lets an embedded one grow as V8 chooses', () => {
    const services = { DATABASE_URL: 'postgres://u@db:5432/hub' };
    expect(heapGrowthPercent(loadConfig(services))).toBe(50);
    expect(heapGrowthPercent(loadConfig({}))).toBe(0);
    expect(heapGrowthPercent(loadConfig({ ...services, HEAP_GROWTH_PERCENT: '0' }))).toBe(0);
    expect(heapGrowthPercent(loadConfig({ HEAP_GROWTH_PERCENT: '80' }))).toBe(80);
  });

  it('runs the rules on a thread of their own in both modes unless told to use the hub thread', () => {
    const services = { DATABASE_URL: 'postgres://u@db:5432/hub' };
    expect(loadConfig({}).RULES_THREAD).toBe('worker');
    expect(loadConfig(services).RULES_THREAD).toBe('worker');
    expect(loadConfig({ ...services, RULES_THREAD: 'main' }).RULES_THREAD).toBe('main');
    expect(() => loadConfig({ RULES_THREAD: 'gpu' })).toThrow('RULES_THREAD');
  });

  it('sends no email unless SMTP_URL is set, and then needs a sender', () => {
    const c = loadConfig({});
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.PUBLIC_URL).toBeUndefined();
    const mail = loadConfig({
      SMTP_URL: 'smtps://hub:secret@mail.region.se:465',
      NOTIFY_FROM: 'Telehealth <noreply@region.se>',
      PUBLIC_URL: 'https://hub.region.se/',
    });
    expect(mail).toMatchObject({
      SMTP_URL: 'smtps://hub:secret@mail.region.se:465',
      NOTIFY_FROM: 'Telehealth <noreply@region.se>',
      PUBLIC_URL: 'https://hub.region.se/',
    });
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail:25' })).toThrow(/^NOTIFY_FROM: needed/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail:25', NOTIFY_FROM: 'a@b.se' })).toThrow(
      /^SMTP_URL: must start with smtp:\/\/ or smtps:\/\//,
    );
    expect(() =>
      loadConfig({ SMTP_URL: 'smtp://u:hemligt@mail:25', NOTIFY_FROM: 'nobody' }),
    ).toThrow(/^NOTIFY_FROM: an address or Name <address> \(got "nobody"\)$/);
  });

  it('pushes to browsers only with all three VAPID settings', () => {
    const vapid = {
      VAPID_PUBLIC_KEY:
        'BCZSTecEmxxfUGaK7WQaa_LMdpxENf-8_2-0PLbFLgZC2D1OI06HVnim303arm4VwaBPwHGo-I1n5h4iivLyDcc',
      VAPID_PRIVATE_KEY: 'k4pAqkU0aKVJ9c4mDrvTUGa2UWZyKDPD2WdMtT4-Xy4',
      VAPID_SUBJECT: 'mailto:drift@region.se',
    };
    expect(loadConfig(vapid)).toMatchObject(vapid);
    expect(loadConfig({}).VAPID_PUBLIC_KEY).toBeUndefined();
    expect(() => loadConfig({ ...vapid, VAPID_SUBJECT: '' })).toThrow(/set all three or none/);
    expect(() => loadConfig({ ...vapid, VAPID_SUBJECT: 'drift@region.se' })).toThrow(
      /^VAPID_SUBJECT: mailto:address or https:\/\/ URL/,
    );
    expect(() => loadConfig({ ...vapid, VAPID_PRIVATE_KEY: 'short' })).toThrow(
      /^VAPID_PRIVATE_KEY: a base64url P-256 private key \(got "\*\*\*"\)$/,
    );
  });

  it('believes X-Forwarded-For from no proxy unless TRUST_PROXY names them', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '192.168.0.0/16',
      '::1',
    ]);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('escalates after 15/60/240 minutes unless ESCALATION_MINUTES says otherwise', () => {
    expect(loadConfig({}).ESCALATION_MINUTES).toEqual(DEFAULT_ESCALATION);
    expect(escalationCheckMs(DEFAULT_ESCALATION)).toBe(30_000);
    // the demo's: seconds, in minutes; a severity left out keeps its default
    const demo = loadConfig({ ESCALATION_MINUTES: 'critical=0.25, high=1' }).ESCALATION_MINUTES;
    expect(demo).toEqual({ critical: 0.25, high: 1, medium: 240, low: null, info: null });
    expect(formatEscalation(demo)).toBe('critical=0.25,high=1,medium=240');
    // checked often enough that an alert is late by a third of its step at most
    expect(escalationCheckMs(demo)).toBe(5000);
    expect(escalationCheckMs({ ...demo, critical: 0.05 })).toBe(1000);
  });

  it.each([
    ['low=30', /^ESCALATION_MINUTES: "low=30": each part is critical=, high= or medium=/],
    ['critical=fast', /^ESCALATION_MINUTES: "critical=fast": each part/],
    ['critical=-1', /^ESCALATION_MINUTES: "critical=-1": each part/],
    ['high=0', /^ESCALATION_MINUTES: high: from 0.05 to 10080 minutes/],
    ['critical=5,critical=10', /^ESCALATION_MINUTES: critical is given twice/],
    ['critical=90', /^ESCALATION_MINUTES: critical \(90 min\) must not wait longer than high/],
  ])('refuses ESCALATION_MINUTES=%s with one line', (value, message) => {
    expect(() => loadConfig({ ESCALATION_MINUTES: value })).toThrow(message);
  });

  it.each([
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY: true would believe X-Forwarded-For from anyone/],
    [{ TRUST_PROXY: 'proxy.example' }, /^TRUST_PROXY: "proxy.example" is not an address/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY: "10.0.0.0\/33" is not an address/],
    [{ MQTT_PORT: '70000' }, /^MQTT_PORT: .*\(got "70000"\)$/],
    [{ HTTP_PORT: 'eighty' }, /^HTTP_PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must start with postgres/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ TIME_ZONE: 'Mars/Olympus' }, /^TIME_ZONE: must be an IANA time zone/],
    [{ MQTT_TLS_CERT: '/etc/cert.pem' }, /^MQTT_TLS_CERT and MQTT_TLS_KEY/],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a password from a bad URL', () => {
    try {
      loadConfig({ MQTT_URL: 'ftp://hub:hunter2@broker' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
      return;
    }
    throw new Error('expected a configuration error');
  });
});
