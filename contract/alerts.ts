// What crosses the wire about alerts: the view the staff API answers (/api/v1/alerts) and the
// realtime pushes carry, and a change in an alert's life. One schema for the server (which
// validates and documents with it, OpenAPI included) and the dashboard (which imports the types
// only, `import type`, so that zod stays out of its bundle).
import { z } from 'zod';
import { localizedSchema, personSchema } from './common.js';

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

export const alertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export { localizedSchema, personSchema, type Localized, type Person } from './common.js';

/** A reason's parameters as stored (contract/reasons.ts `ReasonParams`, by code). */
const reasonParamValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export const reasonParamsSchema = z.record(
  z.string(),
  z.union([reasonParamValue, z.array(reasonParamValue)]),
);

export const alertSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  frailty: z.number().nullable(),
  rule: z.string(),
  severity: severitySchema,
  status: alertStatusSchema,
  owner: personSchema.nullable(),
  fixedContact: personSchema.nullable(),
  escalationLevel: z.number().int().min(0).max(2),
  escalateAt: z.string().nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  /** Why, in both of the dashboard's languages: rendered from the code below when read. */
  reason: localizedSchema,
  /**
   * The reason as the hub stores it, for a reader that says it in another language
   * (contract/reasons.ts: the codes, their parameters and the catalogue): the code, its
   * parameters and the notes said after it (a repeat confirmed it, or none came). Null and empty
   * for an alert stored before reasons were codes (its `reason` is the text stored then).
   */
  reasonCode: z.string().nullable(),
  reasonParams: reasonParamsSchema.nullable(),
  reasonNotes: z.array(z.object({ code: z.string(), params: reasonParamsSchema })),
  /**
   * When the newest reading the finding rests on was measured, and when it reached the hub (its
   * finding's latest, as an alert is updated); null for an alert about no reading (a missed
   * measurement), and `receivedAt` for an alert raised before the hub kept it.
   */
  measuredAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  /**
   * That reading was older than its rule's freshness window (the plan's `freshness`) when the
   * hub judged it: raised at most 'low', with no escalation. `ageHours`: how old, whole hours.
   */
  late: z.boolean(),
  ageHours: z.number().int().min(0).nullable(),
  finding: z.record(z.string(), z.unknown()),
  seq: z.number().int(),
  snoozedUntil: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertEventKinds = [
  'opened',
  'updated',
  'acknowledged',
  'escalated',
  'resolved',
  'snoozed',
] as const;
export type AlertEventKind = (typeof alertEventKinds)[number];

/** One change in an alert's life, numbered across all alerts (`seq`: what a dashboard resumes from). */
export const alertChangeSchema = z.object({
  seq: z.number().int(),
  alertId: z.string(),
  patientId: z.string(),
  kind: z.enum(alertEventKinds),
  actorId: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AlertChange = z.infer<typeof alertChangeSchema>;

/** One change as the alert's history shows it: who made it, by name. */
export const historyEntrySchema = z.object({
  seq: z.number().int(),
  kind: z.enum(alertEventKinds),
  actor: personSchema.nullable(),
  note: z.string().nullable(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** One alert with its whole history (`GET /alerts/{id}`). */
export const alertDetailSchema = alertSchema.extend({ history: z.array(historyEntrySchema) });
export type AlertDetail = z.infer<typeof alertDetailSchema>;

/** `GET /alerts?status=`: open and acknowledged ones when not said. */
export const alertsQuerySchema = z.object({ status: alertStatusSchema.optional() });

const note = z.string().trim().min(1).max(2000);
export const acknowledgeSchema = z.object({ note: note.optional() });
export const snoozeSchema = z.object({ minutes: z.number().int().min(1), reason: note });
export const resolveSchema = z.object({ note });
