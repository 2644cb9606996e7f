// "Notify me on this device": Web Push of the alerts escalated to the person while on call
// (push.ts). Shown only where the browser can and the hub sends push; a pressed button says it
// is on, and a refused permission says how to allow it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLang } from '../lang.js';
import { disablePush, enablePush, pushState, type PushState } from '../push.js';

export function PushToggle() {
  const { t } = useLang();
  const [key, setKey] = useState<string | null>(null);
  const [state, setState] = useState<PushState>('unsupported');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .pushKey()
      .then(async ({ publicKey }) => {
        setKey(publicKey);
        setState(await pushState(publicKey));
      })
      .catch(() => setState('unsupported'));
  }, []);

  if (state === 'unsupported' || !key) return null;
  if (state === 'denied') return <span class="muted push-denied">{t('pushDenied')}</span>;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(state === 'on' ? await disablePush() : await enablePush(key));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        class="secondary"
        aria-pressed={state === 'on'}
        disabled={busy}
        title={t('pushHint')}
        onClick={() => void toggle()}
      >
        {t('pushOnThisDevice')}
      </button>
      {error && (
        <span class="error" role="alert">
          {t('pushFailed', { message: error })}
        </span>
      )}
    </>
  );
}
