// TRUST_PROXY: which reverse proxies in front of the hub may say who the client is. Behind a
// proxy every request comes from the proxy's address; the audit log's "from where" and the
// sign-in lock-out per address need the client's, which the proxy puts in X-Forwarded-For.
// That header is believed only from the proxies named here (express' `trust proxy`), never
// from anyone: a client could otherwise write any address into the audit log. Hence no `true`.
import { isIP } from 'node:net';
import { z } from 'zod';

/** express' `trust proxy`: false, a number of hops, or addresses, subnets and named ranges. */
export type TrustProxy = false | number | string[];

const NAMED = ['loopback', 'linklocal', 'uniquelocal'];

/** One address, a subnet (address/prefix) or a named range of express (proxy-addr). */
function validEntry(entry: string): boolean {
  if (NAMED.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length || !address) return false;
  const family = isIP(address);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export const trustProxySchema = z
  .string()
  .trim()
  .transform((raw, ctx): TrustProxy => {
    const v = raw.toLowerCase();
    if (v === '' || v === 'false' || v === '0') return false;
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops <= 10) return hops;
    }
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.find((e) => !validEntry(e));
    if (bad === undefined) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        v === 'true'
          ? 'true would believe X-Forwarded-For from anyone; name the proxies (e.g. loopback or 10.0.0.5) or give the number of proxies in front of the hub (1-10)'
          : `"${bad}" is not an address, a subnet (address/prefix), loopback, linklocal, uniquelocal or a number of proxies (0-10)`,
    });
    return z.NEVER;
  });
