// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/patients` the patient list (its search and filters after `?`, so
// that going back to it keeps them), `#/patients/{id}` a patient.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  { name: 'triage' } | { name: 'patients'; query: string } | { name: 'patient'; id: string };

export function parseRoute(hash: string): Route {
  const one = /^#\/patients\/([^/?#]+)/.exec(hash);
  if (one) return { name: 'patient', id: decodeURIComponent(one[1]!) };
  const list = /^#\/patients\/?(\?.*)?$/.exec(hash);
  if (list) return { name: 'patients', query: list[1] ?? '' };
  return { name: 'triage' };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
export const hrefPatients = (query = '') => `#/patients${query}`;
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
