// Staff sessions: a random token in an httpOnly, SameSite=Strict cookie; the session itself
// lives in the database (staff_sessions), so signing out, a password reset or a disabled
// account ends it at once on every hub. A session ends after SESSION_IDLE_TIMEOUT_S without a
// request and SESSION_MAX_AGE_S after sign-in, whichever comes first.
//
// `viewerFromCookie` is the one way from a Cookie header to the signed-in person: the HTTP API
// and the realtime socket handshake both use it.
import { createHash, randomBytes } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Me, StaffRole } from '../../contract/session.js';
import type { Queryable } from '../store/db.js';

export const SESSION_COOKIE = 'th_session';

export type { StaffRole };
export const CLINICAL_ROLES: readonly StaffRole[] = ['nurse', 'physician'];

/** The signed-in person (`Me` in docs/api.md). */
export type Viewer = Me;

export interface SessionOptions {
  db: Queryable;
  idleTimeoutS: number;
  maxAgeS: number;
  now?: () => Date;
}

// The database holds only a digest: a leaked copy of staff_sessions signs nobody in.
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Ends every session of a person (a new password, a disabled account), in `db`'s transaction. */
export async function endAllSessionsOf(db: Queryable, staffId: string): Promise<void> {
  await db.query('DELETE FROM staff_sessions WHERE staff_id = $1', [staffId]);
}

/** The person with their units, or null when there is no such enabled account. */
export async function loadViewer(db: Queryable, staffId: string): Promise<Viewer | null> {
  const { rows } = await db.query<{
    id: string;
    username: string;
    display_name: string;
    unit_id: string | null;
    unit_name: string | null;
    role: StaffRole | null;
  }>(
    `SELECT s.id, s.username, s.display_name, cu.id AS unit_id, cu.name AS unit_name, su.role
     FROM staff s
     LEFT JOIN staff_units su ON su.staff_id = s.id
     LEFT JOIN care_units cu ON cu.id = su.care_unit_id
     WHERE s.id = $1 AND s.disabled_at IS NULL
     ORDER BY cu.name, cu.id`,
    [staffId],
  );
  const first = rows[0];
  if (!first) return null;
  return {
    id: first.id,
    username: first.username,
    displayName: first.display_name,
    units: rows.flatMap((r) =>
      r.unit_id && r.unit_name && r.role
        ? [{ id: r.unit_id, name: r.unit_name, role: r.role }]
        : [],
    ),
  };
}

export function createSessions(o: SessionOptions) {
  const now = o.now ?? (() => new Date());

  /** The token's person, when its session has neither idled out nor outlived its maximum. */
  async function viewerFromToken(token: string): Promise<Viewer | null> {
    const at = now();
    const hash = digest(token);
    // one statement checks both limits and counts this request as activity
    const { rows } = await o.db.query<{ staff_id: string }>(
      `UPDATE staff_sessions SET last_seen_at = $2
       WHERE token_hash = $1 AND last_seen_at > $3 AND created_at > $4
       RETURNING staff_id`,
      [
        hash,
        at.toISOString(),
        new Date(at.getTime() - o.idleTimeoutS * 1000).toISOString(),
        new Date(at.getTime() - o.maxAgeS * 1000).toISOString(),
      ],
    );
    if (!rows[0]) {
      await o.db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [hash]);
      return null;
    }
    return loadViewer(o.db, rows[0].staff_id);
  }

  const tokenOf = (cookieHeader: string | undefined) =>
    cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;

  return {
    /** The signed-in person for a request's Cookie header, or null (no, expired or ended session). */
    async viewerFromCookie(cookieHeader: string | undefined): Promise<Viewer | null> {
      const token = tokenOf(cookieHeader);
      if (!token || token.length > 200) return null;
      return viewerFromToken(token);
    },

    /** A new session for a person who just proved who they are; returns the cookie's token. */
    async start(staffId: string, ip: string | null): Promise<string> {
      const at = now();
      const token = randomBytes(32).toString('base64url');
      // sign-in is rare: a good moment to forget sessions nobody can use any more
      await o.db.query('DELETE FROM staff_sessions WHERE last_seen_at <= $1 OR created_at <= $2', [
        new Date(at.getTime() - o.idleTimeoutS * 1000).toISOString(),
        new Date(at.getTime() - o.maxAgeS * 1000).toISOString(),
      ]);
      await o.db.query(
        `INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, ip)
         VALUES ($1, $2, $3, $3, $4)`,
        [digest(token), staffId, at.toISOString(), ip],
      );
      return token;
    },

    /** Signs out the session of this Cookie header (nothing when there is none). */
    async end(cookieHeader: string | undefined): Promise<void> {
      const token = tokenOf(cookieHeader);
      if (token)
        await o.db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [digest(token)]);
    },

    /** Ends every session of a person (a new password, a disabled account). */
    endAllOf: (staffId: string): Promise<void> => endAllSessionsOf(o.db, staffId),

    /** The Set-Cookie value that carries a new session. */
    setCookie(token: string, secure: boolean): string {
      return stringifySetCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        maxAge: o.maxAgeS,
      });
    },

    /** The Set-Cookie value that removes it from the browser. */
    clearCookie(secure: boolean): string {
      return stringifySetCookie(SESSION_COOKIE, '', {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        maxAge: 0,
      });
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
/** What the realtime handshake calls: `sessions.viewerFromCookie`. */
export type ViewerFromCookie = Sessions['viewerFromCookie'];
