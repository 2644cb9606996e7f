// A patient as the staff API shows them: in the list, alone, and who has read their record.
import { z } from 'zod';
import { alertStatusSchema, severitySchema } from './alerts.js';
import { personSchema } from './common.js';
import { readingValuesSchema } from './readings.js';

/** A Clinical Frailty Scale level (CFS 2.0): 1 very fit ... 9 terminally ill. */
export const frailtyLevelSchema = z.number().int().min(1).max(9);

export const patientSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** Clinical Frailty Scale, 1-9; null until assessed. */
  frailty: frailtyLevelSchema.nullable(),
  fixedContact: personSchema.nullable(),
  /** The care units following the patient. */
  units: z.array(z.object({ id: z.string(), name: z.string() })),
  openAlerts: z.array(
    z.object({
      id: z.string(),
      rule: z.string(),
      severity: severitySchema,
      status: alertStatusSchema,
    }),
  ),
  /** The newest reading of each type, by type. */
  latest: z.record(z.string(), readingValuesSchema),
  /**
   * The reading types the patient's plan expects on a schedule (`plan.measurements`; a missed
   * one raises an alert), each once; empty: no measurement plan.
   */
  plannedMeasurements: z.array(z.string()),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

/** The assessment behind a patient's current frailty level: when, and by whom. */
export const frailtyAssessmentSchema = z.object({
  level: frailtyLevelSchema,
  /** The day it was assessed, YYYY-MM-DD. */
  assessedAt: z.iso.date(),
  /** Who assessed it; null when set through the admin CLI without naming anyone. */
  assessedBy: personSchema.nullable(),
  /** When it was entered. */
  recordedAt: z.string(),
});
export type FrailtyAssessment = z.infer<typeof frailtyAssessmentSchema>;

/** The body of PUT /patients/{id}/frailty. */
export const frailtyBodySchema = z.object({
  level: frailtyLevelSchema,
  /** The day it was assessed, YYYY-MM-DD, not after today; today when not given. */
  assessedAt: z.iso.date().optional(),
});
export type FrailtyBody = z.infer<typeof frailtyBodySchema>;

export const patientDetailSchema = patientSummarySchema.extend({
  /** The plan in use: the stored plan with the defaults filled in. */
  plan: z.record(z.string(), z.unknown()),
  /** IANA zone of the patient's days (a day's weight, a missed measurement). */
  timeZone: z.string(),
  /**
   * The assessment behind `frailty`; null when none is recorded (also for a level set before
   * assessments were dated).
   */
  frailtyAssessment: frailtyAssessmentSchema.nullable(),
});
export type PatientDetail = z.infer<typeof patientDetailSchema>;

/**
 * How the reader reached the patient: `care`, a care unit of theirs follows the patient;
 * `escalation`, an alert of the patient escalated to their on-call unit or to them.
 */
export const auditViaSchema = z.enum(['care', 'escalation']);
export type AuditVia = z.infer<typeof auditViaSchema>;

/** One read or change of the patient's data: who, what, when, from where, and through what. */
export const auditEntrySchema = z.object({
  at: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  action: z.string(),
  ip: z.string().nullable(),
  via: auditViaSchema,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
