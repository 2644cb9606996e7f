// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/patients` the patient list (its search and filters after `?`, so
// that going back to it keeps them), `#/patients/{id}` a patient, `#/devices/{id}` a device's log.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'triage' }
  | { name: 'patients'; query: string }
  | { name: 'patient'; id: string }
  | { name: 'device'; id: string };

export function parseRoute(hash: string): Route {
  const one = /^#\/(patients|devices)\/([^/?#]+)/.exec(hash);
  if (one) {
    const id = decodeURIComponent(one[2]!);
    return one[1] === 'patients' ? { name: 'patient', id } : { name: 'device', id };
  }
  const list = /^#\/patients\/?(\?.*)?$/.exec(hash);
  if (list) return { name: 'patients', query: list[1] ?? '' };
  return { name: 'triage' };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
export const hrefPatients = (query = '') => `#/patients${query}`;
export const hrefDevice = (id: string) => `#/devices/${encodeURIComponent(id)}`;
export const hrefTriage = '#/';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
