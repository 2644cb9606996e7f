// The contract (contract/) is what crosses the wire: the server and the dashboard are both typed
// from it. The type assertions here are checked by `npm run typecheck`; the rest runs as tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server, Socket as ServerSocket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { alertChangeSchema, alertSchema, type Alert } from '../../contract/alerts.js';
import {
  resumeSchema,
  type AlertEvent,
  type ClientToServerEvents,
  type LiveReadingItem,
  type ServerToClientEvents,
} from '../../contract/realtime.js';
import type { Alert as ServerAlert } from '../../server/alerts/views.js';
import type { AlertChange as LifecycleChange } from '../../server/alerts/lifecycle.js';
import type { DeviceLog } from '../../contract/devices.js';
import type { DeviceLogRecord } from '../../server/store/deviceLog.js';
import type {
  Alert as DashboardAlert,
  DeviceLog as DashboardDeviceLog,
  AlertEvent as DashboardEvent,
  Me as DashboardMe,
  PatientSummary as DashboardSummary,
  ReadingSeries as DashboardSeries,
} from '../../dashboards/src/types.js';
import type { PatientSummary } from '../../contract/patients.js';
import type { Series } from '../../contract/readings.js';
import type { Me } from '../../contract/session.js';
import type { Viewer } from '../../server/auth/sessions.js';
import type { readingSeries } from '../../server/patients/series.js';
import type { summaries } from '../../server/patients/summaries.js';

const CONTRACT = resolve(import.meta.dirname, '../../contract');

describe('the contract', () => {
  it("imports nothing but zod, itself and the devices' contract, so that both sides can take it", () => {
    // the devices' contract (the MQTT side: reading types, units, time zones) imports only zod too
    const importsOf = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    const devices = new Set<string>();
    for (const file of readdirSync(CONTRACT)) {
      const outside = importsOf(join(CONTRACT, file)).filter(
        (s) => s !== 'zod' && !s.startsWith('./'),
      );
      for (const spec of outside) {
        expect(spec).toMatch(/^\.\.\/devices\/[\w]+\.js$/);
        devices.add(spec);
      }
    }
    for (const spec of devices) {
      expect(importsOf(resolve(CONTRACT, spec.replace(/\.js$/, '.ts')))).toEqual(['zod']);
    }
  });

  it('is the one definition the server and the dashboard use', () => {
    expectTypeOf<ServerAlert>().toEqualTypeOf<Alert>();
    expectTypeOf<DashboardAlert>().toEqualTypeOf<Alert>();
    expectTypeOf<DashboardEvent>().toEqualTypeOf<AlertEvent>();
    expectTypeOf<LifecycleChange>().toEqualTypeOf<AlertEvent['change']>();
    // the staff API's other answers: the server's views are typed from the contract
    expectTypeOf<Awaited<ReturnType<typeof summaries>>>().toEqualTypeOf<PatientSummary[]>();
    expectTypeOf<DashboardSummary>().toEqualTypeOf<PatientSummary>();
    expectTypeOf<Awaited<ReturnType<typeof readingSeries>>>().toEqualTypeOf<Series | null>();
    expectTypeOf<DashboardSeries>().toEqualTypeOf<Series>();
    expectTypeOf<Viewer>().toEqualTypeOf<Me>();
    expectTypeOf<DashboardMe>().toEqualTypeOf<Me>();
    expectTypeOf<DashboardDeviceLog>().toEqualTypeOf<DeviceLog>();
    expectTypeOf<DeviceLogRecord>().toEqualTypeOf<Omit<DeviceLog, 'device'>>();
  });

  it("types the server's and the dashboard's sockets from the same event maps", () => {
    type HubServer = Server<ClientToServerEvents, ServerToClientEvents>;
    type HubSocket = ServerSocket<ClientToServerEvents, ServerToClientEvents>;
    type DashboardSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;
    expectTypeOf<Parameters<ServerToClientEvents['alert']>[0]>().toEqualTypeOf<AlertEvent>();
    expectTypeOf<Parameters<ServerToClientEvents['readings']>[0]>().toEqualTypeOf<{
      items: LiveReadingItem[];
    }>();
    // never called: each line compiles only while both sides agree with the maps
    const typed = {
      push: (io: HubServer, e: AlertEvent) => io.emit('alert', e),
      resume: (s: DashboardSocket) => s.emit('resume', { sinceSeq: 1 }),
      listen: (s: HubSocket) => s.on('resume', (m) => expectTypeOf(m.sinceSeq).toBeNumber()),
      // @ts-expect-error a push of another shape is refused
      wrongPush: (io: HubServer) => io.emit('alert', { change: 1 }),
      // @ts-expect-error an event the hub does not take is refused
      wrongEvent: (s: DashboardSocket) => s.emit('subscribe', 'patient'),
    };
    expect(Object.keys(typed)).toHaveLength(5);
  });

  it('parses what the server sends, and refuses a resume it cannot honour', () => {
    const change = {
      seq: 3,
      alertId: 'a1',
      patientId: 'p1',
      kind: 'opened',
      actorId: null,
      note: null,
      at: '2026-12-07T10:00:00.000Z',
      data: {},
    };
    expect(alertChangeSchema.parse(change)).toEqual(change);
    expect(alertSchema.safeParse({ id: 'a1' }).success).toBe(false);
    expect(resumeSchema.safeParse({ sinceSeq: -1 }).success).toBe(false);
    expect(resumeSchema.parse({ sinceSeq: 12 })).toEqual({ sinceSeq: 12 });
  });
});
