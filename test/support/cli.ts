import { runCli } from '../../server/admin/cli.js';

/** Runs the admin CLI in-process, as `npm run hub -- ...` would. */
export async function hubCli(env: Record<string, string | undefined>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    out: (t) => (stdout += `${t}\n`),
    err: (t) => (stderr += `${t}\n`),
  });
  return { code, stdout, stderr };
}

/** Runs a command with --json and returns its parsed result; throws with stderr on failure. */
export async function hubJson<T = Record<string, string>>(
  env: Record<string, string | undefined>,
  ...argv: string[]
): Promise<T> {
  const r = await hubCli(env, ...argv, '--json');
  if (r.code !== 0) throw new Error(`hub ${argv.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
