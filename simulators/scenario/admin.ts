// How the scenario runner registers organisations, units, staff, patients and devices: through
// the admin commands, never with SQL of its own. In-process with a hub the runner started (the
// same runCommand the admin socket calls), or through the CLI's own entry point for a hub in
// another process (its admin socket, or DATABASE_URL in services mode).
import { runCli } from '../../server/admin/cli.js';
import { runCommand, type AdminContext } from '../../server/admin/commands/index.js';
import type { Hub } from '../../server/hub.js';

export interface Admin {
  /** Runs one admin command (e.g. 'patient add') with its named arguments; its JSON result. */
  run(command: string, args: Record<string, string>): Promise<unknown>;
}

/** The commands of a hub in this process, told about revocations and plan changes as the socket would. */
export function hubAdmin(hub: Hub): Admin {
  const ctx: AdminContext = {
    db: hub.db,
    alerts: hub.alerts,
    onDeviceRevoked: (id) => hub.broker.deviceRevoked(id),
    onPlanChanged: (id) => hub.rules.planChanged(id),
  };
  return { run: (command, args) => runCommand(ctx, command, args) };
}

/** Options the CLI takes as positional words rather than --flags. */
const POSITIONAL: Record<string, string[]> = {
  'device revoke': ['deviceId'],
  'unit set': ['unit'],
  'patient set': ['patient'],
  'patient plan': ['patient'],
};

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `npm run hub -- ... --json`, in this process, with `env` as its environment. */
export function cliAdmin(env: Record<string, string | undefined> = process.env): Admin {
  return {
    async run(command, args) {
      const positional = POSITIONAL[command] ?? [];
      const argv = [...command.split(' ')];
      for (const p of positional) if (args[p] !== undefined) argv.push(args[p]);
      for (const [k, v] of Object.entries(args)) {
        if (!positional.includes(k)) argv.push(`--${kebab(k)}`, v);
      }
      argv.push('--json');
      let out = '';
      let err = '';
      const code = await runCli(argv, {
        env,
        out: (t) => (out += t),
        err: (t) => (err += t),
      });
      if (code !== 0) throw new Error(`hub ${command}: ${err.trim() || `exit code ${code}`}`);
      return JSON.parse(out) as unknown;
    },
  };
}
