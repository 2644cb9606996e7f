// Who used the CPU during a phase: the whole machine (other work shows here too) and, on Linux,
// the broker and database servers by process name. In % of one core.
import { readdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';

const NAMES = ['mosquitto', 'postgres'] as const;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuSnapshot {
  at: number;
  machineBusyMs: number;
  byName: Record<string, number>;
}

export async function cpuSnapshot(): Promise<CpuSnapshot> {
  const busy = cpus().reduce(
    (s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq,
    0,
  );
  const byName: Record<string, number> = {};
  try {
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const m = /^\d+ \((.*)\) (.*)$/.exec(stat.trim());
      if (!m) continue;
      const name = NAMES.find((n) => m[1]!.startsWith(n));
      if (!name) continue;
      const fields = m[2]!.split(' ');
      // fields[11] and [12] are utime and stime (fields 14 and 15 of the whole line)
      byName[name] = (byName[name] ?? 0) + Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    // not Linux: machine figures only
  }
  return { at: performance.now(), machineBusyMs: busy, byName };
}

/** % of one core per process name, and the machine's busy % summed over its cores. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const wallMs = b.at - a.at;
  const out: Record<string, number> = {
    machine: (100 * (b.machineBusyMs - a.machineBusyMs)) / wallMs,
    cores: cpus().length * 100,
  };
  for (const name of NAMES) {
    if (a.byName[name] === undefined || b.byName[name] === undefined) continue;
    // processes that ended in between make this an estimate
    const ticks = Math.max(0, b.byName[name]! - a.byName[name]!);
    out[name] = (100 * (ticks * (1000 / TICKS_PER_SECOND))) / wallMs;
  }
  return out;
}

/** CPU ticks of every process now (Linux; empty elsewhere), for naming who kept a machine busy. */
export async function processTicks(): Promise<Map<string, { name: string; ticks: number }>> {
  const out = new Map<string, { name: string; ticks: number }>();
  try {
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const m = /^\d+ \((.*)\) (.*)$/.exec(stat.trim());
      if (!m) continue;
      const fields = m[2]!.split(' ');
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      const args = cmd.split('\0').filter(Boolean);
      // the script a node process runs says more than "node"
      const script = args.find((a, i) => i > 0 && !a.startsWith('-') && /\.[cm]?[jt]s$/.test(a));
      const name = script ? `${m[1]} ${script.replace(/.*\/(node_modules|work)\//, '')}` : m[1]!;
      out.set(pid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    }
  } catch {
    // not Linux
  }
  return out;
}

/** The busiest processes between two processTicks() snapshots, in % of one core. */
export function busiest(
  a: Map<string, { name: string; ticks: number }>,
  b: Map<string, { name: string; ticks: number }>,
  wallMs: number,
  n = 3,
): { pid: string; name: string; percent: number }[] {
  return [...b]
    .map(([pid, p]) => ({
      pid,
      name: p.name,
      percent:
        (100 * (p.ticks - (a.get(pid)?.ticks ?? p.ticks)) * (1000 / TICKS_PER_SECOND)) / wallMs,
    }))
    .filter((p) => p.percent > 0)
    .sort((x, y) => y.percent - x.percent)
    .slice(0, n);
}
