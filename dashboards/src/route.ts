// Hash routes, so that any link works without the server knowing the dashboard's paths:
// `#/` the triage list, `#/patients/{id}` a patient, `#/devices/{id}` a device's log.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  { name: 'triage' } | { name: 'patient'; id: string } | { name: 'device'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/(patients|devices)\/([^/?#]+)/.exec(hash);
  if (!m) return { name: 'triage' };
  const id = decodeURIComponent(m[2]!);
  return m[1] === 'patients' ? { name: 'patient', id } : { name: 'device', id };
}

export const hrefPatient = (id: string) => `#/patients/${encodeURIComponent(id)}`;
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
