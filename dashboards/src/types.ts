// The shapes of docs/api.md (/api/v1 and the socket.io events), as the dashboard reads them.
// What the contract (contract/) defines is imported from it, types only: zod stays out of the
// bundle, and a shape changed on the server fails this project's type check.
export type {
  Alert,
  AlertChange,
  AlertStatus,
  Localized,
  Person,
  Severity,
} from '../../contract/alerts.js';
export type { AlertEvent } from '../../contract/realtime.js';
import type { Alert, AlertStatus, Localized, Person, Severity } from '../../contract/alerts.js';

export type Lang = 'sv' | 'en';

export interface Me extends Person {
  username: string;
  units: { id: string; name: string; role: 'nurse' | 'physician' | 'admin' }[];
}

export interface HistoryEntry {
  seq: number;
  kind: string;
  actor: Person | null;
  note: string | null;
  at: string;
  data: unknown;
}

export interface AlertDetail extends Alert {
  history: HistoryEntry[];
}

export type { ReadingValues as LatestReading } from '../../contract/readings.js';
import type { ReadingValues as LatestReading } from '../../contract/readings.js';

export interface PatientSummary {
  id: string;
  displayName: string;
  frailty: number | null;
  fixedContact: Person | null;
  units: { id: string; name: string }[];
  openAlerts: { id: string; rule: string; severity: Severity; status: AlertStatus }[];
  latest: Record<string, LatestReading>;
}

export interface PatientDetail extends PatientSummary {
  plan: Record<string, unknown>;
  timeZone: string;
}

export interface Point {
  t: string;
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  min: number | null;
  max: number | null;
  n: number | null;
}

export interface Reference {
  baseline: { mean: number; sd: number; from: string; to: string } | null;
  lines: { label: Localized; value: number }[];
}

export interface ReadingSeries {
  type: string;
  bucket: null | 'hour' | 'day';
  points: Point[];
  reference: Reference | null;
}

export interface PlanChange {
  changedBy: string | Person | null;
  changedAt: string;
  [key: string]: unknown;
}

export interface PlanResponse {
  plan: Record<string, unknown>;
  resolved: Record<string, unknown>;
  changes: PlanChange[];
}

export interface WhatIfCount {
  alerts: number;
  byRule: Record<string, number>;
}

export interface WhatIf {
  days: number;
  proposed: WhatIfCount;
  current: WhatIfCount;
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export interface Device {
  id: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  at: string;
  staffId: string;
  staffName: string;
  action: string;
  ip: string | null;
}
