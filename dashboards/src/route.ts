// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/alerts/{id}` the triage list at that alert (the link a notification
// carries, server/notify/messages.ts alertLink), `#/patients/{id}` a patient.
import { useEffect, useState } from 'preact/hooks';

export type Route = { name: 'triage'; alertId?: string } | { name: 'patient'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/(patients|alerts)\/([^/?#]+)/.exec(hash);
  if (!m) return { name: 'triage' };
  const id = decodeURIComponent(m[2]!);
  return m[1] === 'patients' ? { name: 'patient', id } : { name: 'triage', alertId: id };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
export const hrefTriage = '#/';
export const hrefAlert = (id: string) => `#/alerts/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
