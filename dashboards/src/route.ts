// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/patients/{id}` a patient.
import { useEffect, useState } from 'preact/hooks';

export type Route = { name: 'triage' } | { name: 'patient'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/patients\/([^/?#]+)/.exec(hash);
  return m ? { name: 'patient', id: decodeURIComponent(m[1]!) } : { name: 'triage' };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
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
