// A patient's devices: the list, each with a link to its log (what it sent, what was refused and
// why), adding one (its secret is shown once, to be entered on the device, and never again: the
// hub keeps only a hash) and revoking one (asks first: a revoked device cannot send readings).
// Plain links, buttons and a form, so it works from the keyboard.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLang, useNow } from '../lang.js';
import { formatDateTime } from '../format.js';
import { hrefDevice } from '../route.js';
import type { Device } from '../types.js';
import { Time } from './bits.js';

export function DeviceList(props: { patientId: string; timeZone: string; onChanged?(): void }) {
  const { lang, t } = useLang();
  const now = useNow();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<{ deviceId: string; secret: string } | null>(null);
  const secretRef = useRef<HTMLDivElement>(null);

  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const load = () => api.devices(props.patientId).then(setDevices, fail);

  useEffect(() => {
    setAdded(null);
    void load();
  }, [props.patientId]);

  // the secret is what the person must act on now: move the focus there
  useEffect(() => {
    if (added) secretRef.current?.focus();
  }, [added]);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setAdded(await api.addDevice(props.patientId, label.trim() || undefined));
      setLabel('');
      await load();
      props.onChanged?.();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (d: Device) => {
    if (!confirm(t('revokeDeviceConfirm', { id: d.label ?? d.id }))) return;
    setError(null);
    try {
      await api.revokeDevice(d.id);
      await load();
      props.onChanged?.();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <div class="devices card" data-testid="devices">
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!devices && !error && <p role="status">{t('loading')}</p>}
      {devices?.length === 0 && <p class="muted">{t('noDevices')}</p>}
      {devices && devices.length > 0 && (
        <ul class="device-list">
          {devices.map((d) => (
            <li key={d.id} data-device={d.id}>
              <strong>{d.label ?? d.id}</strong> {d.label && <code>{d.id}</code>}{' '}
              <span class="muted">
                {t('addedAt')} <Time iso={d.createdAt} now={now} timeZone={props.timeZone} />
              </span>{' '}
              <a href={hrefDevice(d.id)}>
                {t('openDeviceLog')} <span class="visually-hidden">{d.label ?? d.id}</span>
              </a>{' '}
              {d.revokedAt ? (
                <span class="badge revoked">
                  {t('revoked', { time: formatDateTime(lang, d.revokedAt, props.timeZone) })}
                </span>
              ) : (
                <>
                  <span class="badge active">{t('active')}</span>{' '}
                  <button type="button" class="secondary" onClick={() => void revoke(d)}>
                    {t('revokeDevice')} <span class="visually-hidden">{d.label ?? d.id}</span>
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {added && (
        <div class="secret" role="status" tabIndex={-1} ref={secretRef} data-testid="device-secret">
          <p>{t('deviceAdded', { id: added.deviceId })}</p>
          <p>
            {t('deviceSecret')}: <code>{added.secret}</code>
          </p>
          <button type="button" class="secondary" onClick={() => setAdded(null)}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <form class="add-device" onSubmit={(e) => void add(e)}>
        <label>
          {t('deviceLabel')}
          <input value={label} maxLength={100} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {t('addDevice')}
        </button>
      </form>
    </div>
  );
}
