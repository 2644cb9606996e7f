// The /api/v1 client (docs/api.md): same origin, the httpOnly session cookie, JSON both ways,
// one error shape. A 401 anywhere tells the app to show the sign-in page.
import type {
  Alert,
  AlertDetail,
  AlertExplanation,
  ApiErrorBody,
  AlertStatus,
  AuditEntry,
  Device,
  DeviceLog,
  FrailtyAssessment,
  Me,
  PatientDetail,
  PatientSummary,
  PlanResponse,
  PushKey,
  ReadingSeries,
  WhatIf,
} from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * What a failed call says to a person: the field the hub refused, in their language (`field`
 * words it), or the failure's message.
 */
export function failureText(err: unknown, field: (name: string) => string): string {
  if (err instanceof ApiError && err.field) return field(err.field);
  return err instanceof Error ? err.message : String(err);
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : {
            accept: 'application/json',
            'content-type': 'application/json',
          },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as ApiErrorBody | null)?.error;
    if (res.status === 401 && path !== '/session') onUnauthenticated();
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? (res.statusText || `HTTP ${res.status}`),
      err?.field,
    );
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  signIn: (username: string, password: string) =>
    request<Me>('POST', '/session', { username, password }),
  signOut: () => request<void>('DELETE', '/session'),
  me: () => request<Me>('GET', '/me'),

  alerts: (status?: AlertStatus) =>
    request<Alert[]>('GET', status ? `/alerts?status=${status}` : '/alerts'),
  alert: (id: string) => request<AlertDetail>('GET', `/alerts/${enc(id)}`),
  /** Why the alert came: each agreeing rule's threshold and readings, and their 14 days. */
  explanation: (id: string) => request<AlertExplanation>('GET', `/alerts/${enc(id)}/explanation`),
  acknowledge: (id: string, note?: string) =>
    request<Alert>('POST', `/alerts/${enc(id)}/acknowledge`, note ? { note } : {}),
  snooze: (id: string, minutes: number, reason: string) =>
    request<Alert>('POST', `/alerts/${enc(id)}/snooze`, { minutes, reason }),
  resolve: (id: string, note: string) =>
    request<Alert>('POST', `/alerts/${enc(id)}/resolve`, { note }),

  patients: () => request<PatientSummary[]>('GET', '/patients'),
  patient: (id: string) => request<PatientDetail>('GET', `/patients/${enc(id)}`),
  /** Answers the patient's current assessment (a back-dated one may not become it). */
  setFrailty: (id: string, level: number, assessedAt?: string) =>
    request<FrailtyAssessment>('PUT', `/patients/${enc(id)}/frailty`, { level, assessedAt }),
  readings: (id: string, type: string, from: Date, to: Date) =>
    request<ReadingSeries>(
      'GET',
      `/patients/${enc(id)}/readings?type=${enc(type)}&from=${enc(from.toISOString())}&to=${enc(to.toISOString())}`,
    ),
  plan: (id: string) => request<PlanResponse>('GET', `/patients/${enc(id)}/plan`),
  savePlan: (id: string, plan: Record<string, unknown>) =>
    request<PlanResponse>('PUT', `/patients/${enc(id)}/plan`, { plan }),
  whatIf: (id: string, plan: Record<string, unknown>) =>
    request<WhatIf>('POST', `/patients/${enc(id)}/plan/what-if`, { plan }),
  devices: (patientId: string) => request<Device[]>('GET', `/patients/${enc(patientId)}/devices`),
  /** The secret comes back this once; the hub keeps only its hash. */
  addDevice: (patientId: string, label?: string) =>
    request<{ deviceId: string; secret: string }>(
      'POST',
      `/patients/${enc(patientId)}/devices`,
      label ? { label } : {},
    ),
  revokeDevice: (deviceId: string) =>
    request<{ id: string; revokedAt: string }>('POST', `/devices/${enc(deviceId)}/revoke`, {}),
  /** A device's readings and refused messages, for troubleshooting. */
  deviceLog: (deviceId: string) => request<DeviceLog>('GET', `/devices/${enc(deviceId)}/log`),
  audit: (patientId: string) => request<AuditEntry[]>('GET', `/patients/${enc(patientId)}/audit`),
  /** The hub's VAPID public key, or null when it sends no Web Push. */
  pushKey: () => request<PushKey>('GET', '/push/key'),
  subscribePush: (subscription: PushSubscriptionJSON) =>
    request<void>('POST', '/push/subscriptions', subscription),
  unsubscribePush: (endpoint: string) =>
    request<void>('DELETE', `/push/subscriptions?endpoint=${enc(endpoint)}`),
  /** Alerts of one patient, resolved ones too, for the patient view's history. */
  patientAlerts: async (patientId: string) => {
    const [live, resolved] = await Promise.all([api.alerts(), api.alerts('resolved')]);
    return [...live, ...resolved].filter((a) => a.patientId === patientId);
  },
};
