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
export const whatIfSchema = z.object({
  days: z.literal(WHAT_IF_DAYS),
  proposed: countSchema,
  current: countSchema,
});
export type WhatIf = z.infer<typeof whatIfSchema>;
