// The admin commands in one table, each noun's from its own file, and the one entry point that
// validates and runs them for the CLI and the hub. The table keeps the order `hub --help` lists.
import type { z } from 'zod';
import { DomainError } from '../../errors.js';
import { alertCommands } from './alerts.js';
import type { AdminContext, Command } from './define.js';
import { deviceCommands } from './devices.js';
import { onCallCommands } from './oncall.js';
import { organisationCommands } from './organisations.js';
import { patientCommands } from './patients.js';
import { readingCommands } from './readings.js';
import { staffCommands } from './staff.js';

// the hub and the tests build the context the commands run in
export type { AdminContext };

const byNoun = {
  ...organisationCommands,
  ...patientCommands,
  ...deviceCommands,
  ...staffCommands,
  ...onCallCommands,
  ...alertCommands,
  ...readingCommands,
};

// listed one by one for the help's order; `satisfies` fails the type check when one is left out
export const commands = {
  'org add': byNoun['org add'],
  'unit add': byNoun['unit add'],
  'patient add': byNoun['patient add'],
  'device add': byNoun['device add'],
  'device revoke': byNoun['device revoke'],
  'staff add': byNoun['staff add'],
  'staff password': byNoun['staff password'],
  'staff email': byNoun['staff email'],
  'unit set': byNoun['unit set'],
  'oncall add': byNoun['oncall add'],
  'oncall list': byNoun['oncall list'],
  'oncall now': byNoun['oncall now'],
  'oncall remove': byNoun['oncall remove'],
  'patient set': byNoun['patient set'],
  'patient plan': byNoun['patient plan'],
  'alert ack': byNoun['alert ack'],
  'alert snooze': byNoun['alert snooze'],
  'alert resolve': byNoun['alert resolve'],
  'alert show': byNoun['alert show'],
  alerts: byNoun.alerts,
  scores: byNoun.scores,
  readings: byNoun.readings,
} satisfies Record<keyof typeof byNoun, Command<z.ZodType>>;

export type CommandName = keyof typeof commands;
export const commandNames = Object.keys(commands) as CommandName[];

/** Validates the arguments and runs one command; the single entry point for CLI and hub. */
export async function runCommand(ctx: AdminContext, name: string, rawArgs: unknown) {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  if (!command) {
    throw new DomainError('invalid', `unknown command "${name}"; try: ${commandNames.join(', ')}`);
  }
  const parsed = command.args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new DomainError('invalid', `--${path}: ${issue.message}`, path);
  }
  return command.run(ctx, parsed.data);
}

export function describeResult(name: string, result: unknown): string {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  return command ? command.describe(result as never) : JSON.stringify(result);
}
