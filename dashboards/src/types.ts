// The shapes of docs/api.md (/api/v1 and the socket.io events), as the dashboard reads them.
// Every one is the contract's (contract/), imported as types only: zod stays out of the bundle,
// and a shape changed on the server fails this project's type check.
export type {
  Alert,
  AlertChange,
  AlertDetail,
  AlertExplanation,
  AlertStatus,
  ExplainedFinding,
  ExplainedReading,
  ThresholdLine,
  HistoryEntry,
  Severity,
} from '../../contract/alerts.js';
export type { Localized, Person } from '../../contract/common.js';
export type { Device, DeviceLog, DeviceReading, RefusedMessage } from '../../contract/devices.js';
export type { ErrorBody as ApiErrorBody } from '../../contract/errors.js';
export type {
  AuditEntry,
  FrailtyAssessment,
  PatientDetail,
  PatientSummary,
} from '../../contract/patients.js';
export type { PlanView as PlanResponse, WhatIf } from '../../contract/plans.js';
export type { PushKey } from '../../contract/push.js';
export type {
  ReadingValues as LatestReading,
  Series as ReadingSeries,
  SeriesPoint as Point,
  SeriesReference as Reference,
} from '../../contract/readings.js';
export type { AlertEvent } from '../../contract/realtime.js';
export type { ReadingType } from '../../devices/contract.js';
export type { Me } from '../../contract/session.js';

export type Lang = 'sv' | 'en';
