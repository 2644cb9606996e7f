// A patient's plan as the staff API shows it, and what a proposed plan would have raised.
import { z } from 'zod';

const planObject = z.record(z.string(), z.unknown());

export const planViewSchema = z.object({
  /** What the care team set: only what differs from the defaults. */
  plan: planObject,
  /** What the rules use: the defaults with the plan on top; `overridden` lists the team's keys. */
  resolved: planObject,
  /** Every change, newest first: the plan after it, who made it and when. */
  changes: z.array(
    z.object({ plan: planObject, changedBy: z.string().nullable(), changedAt: z.string() }),
  ),
});
export type PlanView = z.infer<typeof planViewSchema>;

/** The days `POST /patients/{id}/plan/what-if` replays. */
export const WHAT_IF_DAYS = 90;

const countSchema = z.object({
  alerts: z.number().int(),
  byRule: z.record(z.string(), z.number()),
});
/**
 * What a setting of the heart-failure score found on the simulated cohorts it was tuned on
 * (server/rules/scoreCurve.ts): the figures of docs/simulation.md's operating curve.
 */
export const cohortFiguresSchema = z.object({
  /** Share of decompensations alerted between their start and peak (0..1). */
  sensitivity: z.number(),
  falseAlertsPerPatientYear: z.number(),
  medianWarningDays: z.number().nullable(),
  /** The cohorts: seeds, patients and days each. */
  seeds: z.string(),
  patients: z.number().int(),
  days: z.number().int(),
});
export type CohortFigures = z.infer<typeof cohortFiguresSchema>;

export const whatIfSchema = z.object({
  days: z.literal(WHAT_IF_DAYS),
  proposed: countSchema,
  current: countSchema,
  /**
   * The heart-failure score's figures on the simulated cohorts for the current and the proposed
   * plan; null when the plan's score setting is not a point of the curve (or does not page).
   */
  cohort: z.object({
    current: cohortFiguresSchema.nullable(),
    proposed: cohortFiguresSchema.nullable(),
  }),
});
export type WhatIf = z.infer<typeof whatIfSchema>;
