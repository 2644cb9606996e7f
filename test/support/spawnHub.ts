// Runs the hub as people do, `tsx server/main.ts` (or a compiled entry, as a deployment runs
// it), in a child process, and reads where it listens from its start-up lines.
import { spawn, type ChildProcess } from 'node:child_process';

export interface HubProcess {
  child: ChildProcess;
  mqttUrl: string;
  httpUrl: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `entry`: node's arguments; by default the TypeScript sources through tsx. */
export async function spawnHub(
  env: Record<string, string>,
  entry: string[] = ['--import', 'tsx', 'server/main.ts'],
): Promise<HubProcess> {
  const child = spawn(process.execPath, entry, {
    // every staff API answer a test meets is checked against the OpenAPI document
    env: { ...process.env, LOG_LEVEL: 'warn', API_CHECK_RESPONSES: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // a fresh embedded data folder takes ~9 s to initialise on a quiet 2-core machine, and several
  // times that beside other test files
  const deadline = Date.now() + 90_000;
  while (!/http: +http:\/\/\S+/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    mqttUrl: /mqtt: +(mqtts?:\/\/\S+)/.exec(out)![1]!,
    httpUrl: /http: +(http:\/\/\S+)/.exec(out)![1]!,
    output: () => out,
    exited,
  };
}
