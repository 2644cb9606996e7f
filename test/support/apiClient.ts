// The staff API as a browser calls it: JSON over HTTP with a cookie jar of one cookie.

export type Json = Record<string, unknown> & {
  error?: { code: string; message: string; field?: string };
};

/** A client with a cookie jar of one cookie, as a browser would keep it. */
export function apiClient(base: string) {
  let cookie: string | null = null;
  const c = {
    get cookie() {
      return cookie;
    },
    set cookie(v: string | null) {
      cookie = v;
    },
    async call(method: string, path: string, body?: unknown) {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: (text ? JSON.parse(text) : null) as Json & Json[],
      };
    },
    async signIn(username: string, password: string) {
      const r = await c.call('POST', '/session', { username, password });
      const set = r.headers.getSetCookie()[0];
      if (set) cookie = set.split(';')[0]!;
      return { ...r, setCookie: set ?? null };
    },
  };
  return c;
}
export type ApiClient = ReturnType<typeof apiClient>;
