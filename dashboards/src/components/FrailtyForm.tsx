// Assess a patient's frailty: the Clinical Frailty Scale level (its name in the page's
// language) and the day it was assessed (today by default, where the patient lives; never after
// it). The hub dates and signs it and answers the patient's current assessment.
import { useState } from 'preact/hooks';
import { api, failureText } from '../api.js';
import { frailtyLabel } from '../i18n.js';
import { useLang } from '../lang.js';
import { todayIn } from '../format.js';
import type { FrailtyAssessment } from '../types.js';

const LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export function FrailtyForm(props: {
  patientId: string;
  current: number | null;
  timeZone: string;
  onSaved(a: FrailtyAssessment): void;
}) {
  const { lang, t } = useLang();
  const today = todayIn(Date.now(), props.timeZone);
  const [level, setLevel] = useState(props.current === null ? '' : String(props.current));
  const [day, setDay] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!level) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const a = await api.setFrailty(props.patientId, Number(level), day || undefined);
      setSaved(Number(level));
      props.onSaved(a);
    } catch (err) {
      setError(failureText(err, (field) => t('invalidField', { field })));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="inline-form frailty-form"
      onSubmit={(e) => void save(e)}
      data-testid="frailty-form"
    >
      <label class="grow">
        {t('frailty')}
        <select name="level" value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
          <option value="" disabled>
            {t('frailtyChoose')}
          </option>
          {LEVELS.map((l) => (
            <option value={String(l)}>{frailtyLabel(lang, l)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('assessedAt')}
        <input
          type="date"
          name="assessedAt"
          value={day}
          max={today}
          required
          onInput={(e) => setDay(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy || !level}>
        {busy ? t('saving') : t('save')}
      </button>
      <p role="status" class="muted">
        {saved !== null && t('frailtySaved', { level: frailtyLabel(lang, saved) })}
      </p>
      {error && (
        <p class="error" role="alert">
          {t('actionFailed', { message: error })}
        </p>
      )}
    </form>
  );
}
