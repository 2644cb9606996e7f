import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quietDisabledDebug } from '../../server/ops/quietDebug.js';

type Debugger = ((...args: unknown[]) => void) & {
  enabled: boolean;
  namespace: string;
  extend(sub: string): Debugger;
};
type CreateDebug = ((ns: string) => Debugger) & {
  enable(ns: string): void;
  disable(): string;
  log: (...args: unknown[]) => void;
};

const require = createRequire(import.meta.url);
// the copy of `debug` that the MQTT codec loads
const codecDebug = () =>
  require(
    require.resolve('debug', { paths: [dirname(require.resolve('mqtt-packet'))] }),
  ) as CreateDebug;

describe('the debug logger of the MQTT codec', () => {
  afterEach(() => codecDebug().disable());

  it('hands a namespace that DEBUG leaves off a function that does nothing', () => {
    quietDisabledDebug();
    const debug = codecDebug()('mqtt-packet:parser');
    expect(debug.enabled).toBe(false);
    expect(debug.namespace).toBe('mqtt-packet:parser');
    expect(debug.toString()).toBe('() => {}');
    expect(debug('parse: current state: %s', 'header')).toBeUndefined();
    const child = debug.extend('length');
    expect(child.namespace).toBe('mqtt-packet:parser:length');
    expect(child.enabled).toBe(false);
  });

  it('still logs what DEBUG turns on', () => {
    quietDisabledDebug();
    const createDebug = codecDebug();
    createDebug.enable('telehealth-test:*');
    const debug = createDebug('telehealth-test:codec');
    expect(debug.enabled).toBe(true);
    const lines: unknown[][] = [];
    const log = createDebug.log;
    createDebug.log = (...args) => lines.push(args);
    try {
      debug('packet %s', 'publish');
    } finally {
      createDebug.log = log;
    }
    expect(lines).toHaveLength(1);
    expect(String(lines[0]![0])).toContain('telehealth-test:codec packet %s');
    expect(lines[0]).toContain('publish');
  });

  it('is installed once however often it is asked', () => {
    quietDisabledDebug();
    const once = codecDebug();
    quietDisabledDebug();
    expect(codecDebug()).toBe(once);
  });
});
