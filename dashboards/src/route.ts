// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/alerts/{id}` the triage list at that alert (the link a notification
// carries, server/notify/messages.ts alertLink), `#/patients` the patient list (its search and
// filters after `?`, so that going back to it keeps them), `#/patients/{id}` a patient,
// `#/devices/{id}` a device's log.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'triage'; alertId?: string }
  | { name: 'patients'; query: string }
  | { name: 'patient'; id: string }
  | { name: 'device'; id: string };

export function parseRoute(hash: string): Route {
  const one = /^#\/(patients|devices|alerts)\/([^/?#]+)/.exec(hash);
  if (one) {
    const id = decodeURIComponent(one[2]!);
    if (one[1] === 'patients') return { name: 'patient', id };
    return one[1] === 'devices' ? { name: 'device', id } : { name: 'triage', alertId: id };
  }
  const list = /^#\/patients\/?(\?.*)?$/.exec(hash);
  if (list) return { name: 'patients', query: list[1] ?? '' };
  return { name: 'triage' };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
export const hrefPatients = (query = '') => `#/patients${query}`;
export const hrefDevice = (id: string) => `#/devices/${encodeURIComponent(id)}`;
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
