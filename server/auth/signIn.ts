// Signing in with a username and password. Repeated failures slow an attacker down: after
// LOGIN_MAX_FAILURES within LOGIN_WINDOW_S for one username (or LOGIN_MAX_FAILURES_PER_IP from
// one address) further attempts are refused without checking the password until the oldest
// of those failures leaves the window; the caller answers 429 with Retry-After. Failures live
// in the database so that every hub counts the same ones. Passwords are never logged.
import { generateSecret, hashSecret, verifySecret } from './secrets.js';
import type { Queryable } from '../store/db.js';

export interface SignInOptions {
  db: Queryable;
  maxFailures: number;
  maxFailuresPerIp: number;
  windowS: number;
  now?: () => Date;
}

export type SignInResult =
  | { ok: true; staffId: string }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfterS: number };

/** Forgets a username's failed sign-ins (a new password starts over), in `db`'s transaction. */
export async function forgetFailuresOf(db: Queryable, username: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE key = $1', [`user:${username}`]);
}

export function createSignIn(o: SignInOptions) {
  const now = o.now ?? (() => new Date());
  // An unknown username costs one scrypt too, so that timing does not tell which names exist.
  let decoy: Promise<string> | null = null;
  const decoyHash = () => (decoy ??= hashSecret(generateSecret()));

  /** Seconds until `key` may try again, or 0 when it has failed fewer than `max` times. */
  async function lockedFor(key: string, max: number, at: Date): Promise<number> {
    const { rows } = await o.db.query<{ at: Date }>(
      `SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3`,
      [key, new Date(at.getTime() - o.windowS * 1000).toISOString(), max],
    );
    if (rows.length < max) return 0;
    // the max-th newest failure must leave the window before there are fewer than max in it
    const frees = new Date(rows[max - 1]!.at).getTime() + o.windowS * 1000;
    return Math.max(1, Math.ceil((frees - at.getTime()) / 1000));
  }

  return {
    async attempt(username: string, password: string, ip: string | null): Promise<SignInResult> {
      const at = now();
      const userKey = `user:${username.toLowerCase()}`;
      const ipKey = ip ? `ip:${ip}` : null;
      const wait = Math.max(
        await lockedFor(userKey, o.maxFailures, at),
        ipKey ? await lockedFor(ipKey, o.maxFailuresPerIp, at) : 0,
      );
      if (wait > 0) return { ok: false, reason: 'locked', retryAfterS: wait };

      const { rows } = await o.db.query<{ id: string; password_hash: string | null }>(
        'SELECT id, password_hash FROM staff WHERE username = $1 AND disabled_at IS NULL',
        [username],
      );
      const person = rows[0];
      const good = await verifySecret(password, person?.password_hash ?? (await decoyHash()));
      if (person?.password_hash && good) {
        await o.db.query('DELETE FROM login_failures WHERE key = $1', [userKey]);
        return { ok: true, staffId: person.id };
      }
      const keys = ipKey ? [userKey, ipKey] : [userKey];
      await o.db.query(
        `INSERT INTO login_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k`,
        [keys, at.toISOString()],
      );
      // forget what no longer counts, so the table stays small
      await o.db.query('DELETE FROM login_failures WHERE at <= $1', [
        new Date(at.getTime() - o.windowS * 1000).toISOString(),
      ]);
      return { ok: false, reason: 'wrong' };
    },
  };
}
export type SignIn = ReturnType<typeof createSignIn>;
