// A describe block's hub with patients whose devices are connected: the setup the end-to-end
// suites share. Apart from hub.ts because it needs vitest's hooks, and the benchmarks import
// hub.ts outside vitest.
import { afterAll, beforeAll } from 'vitest';
import { connectDevice, type TestDevice } from './device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Mode,
  type Registered,
  type TestEnv,
} from './hub.js';

/** A hub with registered patients whose devices are connected, for the tests of one describe block. */
export interface HubWithPatientDevice {
  readonly env: TestEnv;
  /** The first patient, and its device. */
  readonly reg: Registered;
  readonly device: TestDevice;
  /** Every patient registered, and their devices in the same order. */
  readonly patients: readonly Registered[];
  readonly devices: readonly TestDevice[];
}

/**
 * Called in a describe block: before its tests, a hub in `mode` (startTestHub), `patients`
 * patients (1 by default; 0 for a hub alone), each with an organisation, a unit and a device of
 * its own, then their devices connected; after them, the devices and the hub closed. Call it
 * first in the block: its beforeAll then runs before the block's own, and what it returns is
 * filled in for them and the tests; read earlier (or `reg`/`device` with no patient), it throws.
 */
export function hubWithPatientDevice(
  mode: Mode,
  o: { patients?: number } = {},
): HubWithPatientDevice {
  let env: TestEnv | undefined;
  const patients: Registered[] = [];
  const devices: TestDevice[] = [];
  const present = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`hubWithPatientDevice: no ${what} (yet)`);
    return value;
  };
  beforeAll(async () => {
    env = await startTestHub(mode);
    for (let i = 0; i < (o.patients ?? 1); i++) {
      patients.push(await registerPatientWithDevice(env.hub));
    }
    for (const p of patients) devices.push(await connectDevice(env.mqttUrl, p.deviceId, p.secret));
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await env?.close();
  });
  return {
    get env() {
      return present(env, 'hub');
    },
    get reg() {
      return present(patients[0], 'patient');
    },
    get device() {
      return present(devices[0], 'device');
    },
    patients,
    devices,
  };
}
