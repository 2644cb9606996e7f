// Acknowledge (one press), snooze (minutes + reason) and resolve (with a note), as small forms
// that open in place. Every control is a real button, select or text field. The focus follows
// (keyboard users): into a form when it opens, back to its button when it closes (Escape,
// Cancel, done), to Snooze when Acknowledge goes, and near a resolved card (focus.ts).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { focusNear } from '../focus.js';
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
  const form = useRef<HTMLFormElement>(null);
  const toggles = {
    snooze: useRef<HTMLButtonElement>(null),
    resolve: useRef<HTMLButtonElement>(null),
  };
  // the button to focus after the next render (a card may have moved in its list meanwhile)
  const focusNext = useRef<'snooze' | 'resolve' | null>(null);

  useEffect(() => {
    if (mode !== 'idle')
      form.current?.querySelector<HTMLElement>('select, input, textarea')?.focus();
  }, [mode]);
  useEffect(() => {
    if (!focusNext.current) return;
    toggles[focusNext.current].current?.focus();
    focusNext.current = null;
  });

  if (alert.status === 'resolved') return null;

  const close = () => {
    if (mode !== 'idle') focusNext.current = mode;
    setMode('idle');
  };

  const run = async (fn: () => Promise<Alert>) => {
    setBusy(true);
    setError(null);
    // a resolved alert's card leaves the triage list (or moves among the closed ones)
    const item = form.current?.closest('li');
    const refocus = item ? focusNear(item) : null;
    try {
      const changed = await fn();
      if (changed.status === 'resolved') refocus?.();
      else focusNext.current = mode === 'idle' ? 'snooze' : mode;
      onChanged(changed);
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

  const escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    close();
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
          ref={toggles.snooze}
          aria-expanded={mode === 'snooze'}
          aria-controls={`snooze-${id}`}
          onClick={() => (mode === 'snooze' ? close() : setMode('snooze'))}
        >
          {t('snooze')}
        </button>
        <button
          type="button"
          class="secondary"
          ref={toggles.resolve}
          aria-expanded={mode === 'resolve'}
          aria-controls={`resolve-${id}`}
          onClick={() => (mode === 'resolve' ? close() : setMode('resolve'))}
        >
          {t('resolve')}
        </button>
      </div>
      {mode === 'snooze' && (
        <form
          id={`snooze-${id}`}
          class="inline-form"
          ref={form}
          onKeyDown={escape}
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
          <button type="button" class="secondary" onClick={close}>
            {t('cancel')}
          </button>
        </form>
      )}
      {mode === 'resolve' && (
        <form
          id={`resolve-${id}`}
          class="inline-form"
          ref={form}
          onKeyDown={escape}
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
          <button type="button" class="secondary" onClick={close}>
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
