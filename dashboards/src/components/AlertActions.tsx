// Acknowledge (one press), snooze (minutes + reason) and resolve (with a note), as small forms
// that open in place. Every control is a real button, select or text field.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLang } from '../lang.js';
import { snoozeChoices } from '../triage.js';
import type { Alert } from '../types.js';

type Mode = 'idle' | 'snooze' | 'resolve';

export function AlertActions({ alert, onChanged }: { alert: Alert; onChanged(a: Alert): void }) {
  const { t } = useLang();
  const [mode, setMode] = useState<Mode>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const choices = snoozeChoices(alert.severity);
  const [minutes, setMinutes] = useState(choices[choices.length - 1] ?? 15);

  if (alert.status === 'resolved') return null;

  const run = async (fn: () => Promise<Alert>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await fn());
      setMode('idle');
      setNote('');
      setReason('');
    } catch (err) {
      const msg =
        err instanceof ApiError && err.field
          ? `${err.message} (${err.field})`
          : err instanceof Error
            ? err.message
            : String(err);
      setError(t('actionFailed', { message: msg }));
    } finally {
      setBusy(false);
    }
  };

  const id = alert.id;
  return (
    <div class="actions">
      <div class="buttons">
        {alert.status === 'open' && (
          <button
            type="button"
            disabled={busy}
            title={t('acknowledgeHint')}
            onClick={() => void run(() => api.acknowledge(id))}
          >
            {t('acknowledge')}
          </button>
        )}
        <button
          type="button"
          class="secondary"
          aria-expanded={mode === 'snooze'}
          aria-controls={`snooze-${id}`}
          onClick={() => setMode(mode === 'snooze' ? 'idle' : 'snooze')}
        >
          {t('snooze')}
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={mode === 'resolve'}
          aria-controls={`resolve-${id}`}
          onClick={() => setMode(mode === 'resolve' ? 'idle' : 'resolve')}
        >
          {t('resolve')}
        </button>
      </div>
      {mode === 'snooze' && (
        <form
          id={`snooze-${id}`}
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setError(t('reasonRequired'));
            void run(() => api.snooze(id, minutes, reason.trim()));
          }}
        >
          <label>
            {t('minutes')}
            <select
              name="minutes"
              value={String(minutes)}
              onChange={(e) => setMinutes(Number(e.currentTarget.value))}
            >
              {choices.map((m) => (
                <option value={String(m)}>{m}</option>
              ))}
            </select>
          </label>
          <label class="grow">
            {t('reason')}
            <input
              name="reason"
              required
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('confirm')}
          </button>
          <button type="button" class="secondary" onClick={() => setMode('idle')}>
            {t('cancel')}
          </button>
        </form>
      )}
      {mode === 'resolve' && (
        <form
          id={`resolve-${id}`}
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!note.trim()) return setError(t('noteRequired'));
            void run(() => api.resolve(id, note.trim()));
          }}
        >
          <label class="grow">
            {t('note')}
            <textarea
              name="note"
              rows={2}
              required
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('resolve')}
          </button>
          <button type="button" class="secondary" onClick={() => setMode('idle')}>
            {t('cancel')}
          </button>
        </form>
      )}
      {busy && <p role="status">{t('saving')}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
