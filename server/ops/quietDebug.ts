// The `debug` logger costs even when it is off: each call builds an array of its arguments and
// asks a getter whether its namespace is on. mqtt-packet, the MQTT codec of mqtt.js and aedes,
// calls it several times for every packet it reads or writes, and under load those calls made a
// quarter of the hub's allocations (docs/benchmarks.md). Imported before mqtt.js and aedes, this
// module hands every namespace that DEBUG does not turn on at start a function that does
// nothing; DEBUG=mqtt-packet:* and the like still turn on what they name.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

type Debugger = ((...args: unknown[]) => void) & {
  namespace: string;
  enabled: boolean;
  extend(namespace: string, delimiter?: string): Debugger;
  log?: unknown;
  destroy(): void;
};
type CreateDebug = ((namespace: string) => Debugger) & { enabled(namespace: string): boolean };

const require = createRequire(import.meta.url);
/** What this module installed, so that it is installed once. */
const quieted = new WeakSet<object>();

/** The copy of `debug` that mqtt-packet loads (npm may keep several). */
function debugPath(): string | null {
  try {
    const codec = dirname(require.resolve('mqtt-packet'));
    return require.resolve('debug', { paths: [codec] });
  } catch {
    return null;
  }
}

export function quietDisabledDebug(): void {
  const path = debugPath();
  if (!path) return;
  require(path);
  const entry = require.cache[path];
  if (!entry || quieted.has(entry.exports)) return;
  const createDebug = entry.exports as CreateDebug;
  const off = (namespace: string): Debugger =>
    Object.assign(() => {}, {
      namespace,
      enabled: false,
      extend: (sub: string, delimiter = ':') => quiet(namespace + delimiter + sub),
      destroy: () => {},
    });
  // Everything but the call (enable, formatters, ...) is the real module's.
  const quiet = new Proxy(createDebug, {
    apply: (target, _this, [namespace]: [string]) =>
      target.enabled(namespace) ? target(namespace) : off(namespace),
  });
  quieted.add(quiet);
  entry.exports = quiet;
}

quietDisabledDebug();
