// What crosses the wire about alerts: the view the staff API answers (/api/v1/alerts) and the
// realtime pushes carry, and a change in an alert's life. One schema for the server (which
// validates and documents with it, OpenAPI included) and the dashboard (which imports the types
// only, `import type`, so that zod stays out of its bundle).
import { z } from 'zod';
import { localizedSchema, personSchema } from './common.js';
import { measuredValuesSchema, readingTypeSchema, seriesSchema } from './readings.js';

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
  /** The rule of the alert's worst agreeing finding (its headline: `reason`, `finding`). */
  rule: z.string(),
  /**
   * What the alert is about (one alert per patient and problem, e.g. `weight`,
   * `blood_pressure`, `news2`, `missing.body_weight`), and the rules of that problem that agree
   * now, worst first: all in one direction (a finding in the opposite one replaces them).
   */
  problem: z.string(),
  rules: z.array(z.string()),
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

// Why an alert came (`GET /alerts/{id}/explanation`): each agreeing rule with its threshold and
// where that came from, the readings it rests on, and the patient's readings around them.

/** A reading a finding rests on, in canonical units, with when it was measured and arrived. */
export const explainedReadingSchema = measuredValuesSchema.extend({
  deviceId: z.string(),
  messageId: z.string(),
  type: readingTypeSchema,
  measuredAt: z.string(),
  receivedAt: z.string(),
});
export type ExplainedReading = z.infer<typeof explainedReadingSchema>;

/** The plan change since which a personal setting has had its value: who made it, and when. */
export const settingOriginSchema = z.object({
  /** The setting, a dotted path into the plan (`weight.gain3dKg`, `vitals.pulse.contactHigh`). */
  key: z.string(),
  /** null: changed without a person (the admin CLI). */
  changedBy: personSchema.nullable(),
  changedAt: z.string(),
});
export type SettingOrigin = z.infer<typeof settingOriginSchema>;

/** A threshold as a line on the chart of a reading type (`field`: which of its values). */
export const thresholdLineSchema = z.object({
  rule: z.string(),
  type: readingTypeSchema,
  field: z.enum(['value', 'systolic', 'diastolic', 'pulse']),
  value: z.number(),
  /** The canonical unit (UCUM) of `value`. */
  unit: z.string(),
});
export type ThresholdLine = z.infer<typeof thresholdLineSchema>;

export const explainedFindingSchema = z.object({
  rule: z.string(),
  severity: severitySchema,
  threshold: z.object({
    /** As the rule keeps it: a number, a text (a time, a level) or named numbers. */
    value: z.union([z.number(), z.string(), z.record(z.string(), z.number())]),
    /** UCUM unit of the value (null: none, or several: see the lines). */
    unit: z.string().nullable(),
    source: z.enum(['default', 'personal']),
    /** A personal threshold's settings, each with the plan change that set it (else empty). */
    setBy: z.array(settingOriginSchema),
    /** The guideline (or other source) the threshold comes from. */
    reference: z.string(),
  }),
  readings: z.array(explainedReadingSchema),
  lines: z.array(thresholdLineSchema),
});
export type ExplainedFinding = z.infer<typeof explainedFindingSchema>;

export const alertExplanationSchema = z.object({
  alertId: z.string(),
  patientId: z.string(),
  /** The patient's zone: the chart's days are theirs. */
  timeZone: z.string(),
  findings: z.array(explainedFindingSchema),
  /**
   * The patient's readings of the types concerned from 14 days before the newest reading the
   * findings rest on to now (at most 14 days after it).
   */
  from: z.string(),
  to: z.string(),
  series: z.array(seriesSchema.omit({ reference: true })),
});
export type AlertExplanation = z.infer<typeof alertExplanationSchema>;
