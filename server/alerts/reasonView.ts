// An alert's reason as the view shows it: said in both of the dashboard's languages from the
// code and parameters its finding stores (contract/reasons.ts), or, for an alert stored before
// reasons were codes, the two sentences stored then. Pure; never throws on what was stored.
import type { Alert } from '../../contract/alerts.js';
import { renderBoth } from '../../contract/reasons.js';

export type ReasonView = Pick<Alert, 'reason' | 'reasonCode' | 'reasonParams' | 'reasonNotes'>;
type Params = NonNullable<Alert['reasonParams']>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const scalar = (v: unknown) =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';

/** The parameters the wire can carry (what a rule stored); anything else is left out. */
function paramsOf(v: unknown): Params {
  if (!isObject(v)) return {};
  return Object.fromEntries(
    Object.entries(v).filter(([, x]) => scalar(x) || (Array.isArray(x) && x.every(scalar))),
  ) as Params;
}

/** The view of `stored`, a finding's `reason` as read from alerts.finding (jsonb). */
export function reasonView(stored: unknown): ReasonView {
  if (isObject(stored) && typeof stored.code === 'string') {
    const notes = (Array.isArray(stored.notes) ? stored.notes : [])
      .filter((n): n is Record<string, unknown> => isObject(n) && typeof n.code === 'string')
      .map((n) => ({ code: n.code as string, params: paramsOf(n.params) }));
    const params = paramsOf(stored.params);
    return {
      reason: renderBoth({ code: stored.code, params, notes }),
      reasonCode: stored.code,
      reasonParams: params,
      reasonNotes: notes,
    };
  }
  // stored before reasons were codes: the text of then, as it was
  const text = (lang: 'sv' | 'en') =>
    isObject(stored) && typeof stored[lang] === 'string' ? stored[lang] : '';
  return {
    reason: { sv: text('sv'), en: text('en') },
    reasonCode: null,
    reasonParams: null,
    reasonNotes: [],
  };
}
