// Edit a patient's thresholds. Before saving, the proposed plan is replayed over the patient's
// last 90 days (POST .../plan/what-if) and the editor shows how many alerts it would have raised
// beside the current plan's count.
import { useEffect, useState } from 'preact/hooks';
import { api, failureText } from '../api.js';
import type { Key } from '../i18n.js';
import { useLang } from '../lang.js';
import { getPath, planFields, proposePlan } from '../plan.js';
import type { PlanResponse, WhatIf } from '../types.js';

export function PlanEditor({ patientId }: { patientId: string }) {
  const { t } = useLang();
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [whatIf, setWhatIf] = useState<WhatIf | null>(null);
  const [calculating, setCalculating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .plan(patientId)
      .then(setPlan, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [patientId]);

  const dirty = Object.keys(edits).length > 0;
  const proposed = plan ? proposePlan(plan.plan, edits) : null;

  // replay the proposal, debounced while the person types
  useEffect(() => {
    if (!plan || !dirty || !proposed) {
      setWhatIf(null);
      return;
    }
    let cancelled = false;
    setCalculating(true);
    const timer = setTimeout(() => {
      api.whatIf(patientId, proposed).then(
        (w) => {
          if (cancelled) return;
          setWhatIf(w);
          setError(null);
          setCalculating(false);
        },
        (e: unknown) => {
          if (cancelled) return;
          setWhatIf(null);
          setCalculating(false);
          setError(failureText(e, (field) => t('invalidField', { field })));
        },
      );
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [patientId, plan, JSON.stringify(proposed)]);

  if (!plan) return error ? <p class="error">{error}</p> : <p role="status">{t('loading')}</p>;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!proposed) return;
    setBusy(true);
    try {
      const next = await api.savePlan(patientId, proposed);
      setPlan(next);
      setEdits({});
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(failureText(err, (field) => t('invalidField', { field })));
    } finally {
      setBusy(false);
    }
  };

  const rules = whatIf
    ? [...new Set([...Object.keys(whatIf.current.byRule), ...Object.keys(whatIf.proposed.byRule)])]
    : [];

  return (
    <form class="plan-editor card stack" onSubmit={(e) => void save(e)} data-testid="plan-editor">
      <h3>{t('editThresholds')}</h3>
      <div class="field-grid">
        {planFields.map((f) => {
          const stored = getPath(plan.plan, f.path);
          const resolved = getPath(plan.resolved, f.path);
          const value = edits[f.path] ?? (stored === undefined ? '' : String(stored));
          return (
            <label key={f.path}>
              {t(f.label as Key)}
              <input
                type="number"
                inputMode="decimal"
                name={f.path}
                step={f.step}
                min={f.min}
                max={f.max}
                value={value}
                placeholder={resolved === undefined ? '' : String(resolved)}
                onInput={(e) => {
                  const v = e.currentTarget.value;
                  setSaved(false);
                  setEdits((old) => {
                    const next = { ...old };
                    if (v === (stored === undefined ? '' : String(stored))) delete next[f.path];
                    else next[f.path] = v;
                    return next;
                  });
                }}
              />
              <span class="hint">
                {stored === undefined
                  ? `${t('planDefault')}${resolved === undefined ? '' : `: ${String(resolved)}`}`
                  : t('planOverridden')}
              </span>
            </label>
          );
        })}
      </div>
      <div class="what-if" aria-live="polite" data-testid="what-if">
        {dirty && calculating && <p role="status">{t('whatIfCalculating')}</p>}
        {dirty && whatIf && !calculating && (
          <>
            <p>
              <strong>{t('whatIfTitle', { days: whatIf.days })}</strong>
            </p>
            <p>
              {t('whatIfCurrent', { n: whatIf.current.alerts })}
              <br />
              <strong>{t('whatIfProposed', { n: whatIf.proposed.alerts })}</strong>
            </p>
            {rules.length > 0 && (
              <table>
                <caption>{t('whatIfByRule')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('rule')}</th>
                    <th scope="col">{t('whatIfNow')}</th>
                    <th scope="col">{t('whatIfProposedCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rules.map((r) => (
                    <tr key={r}>
                      <th scope="row">{r}</th>
                      <td>{whatIf.current.byRule[r] ?? 0}</td>
                      <td>{whatIf.proposed.byRule[r] ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {saved && <p role="status">{t('saved')}</p>}
      <div class="buttons">
        <button type="submit" disabled={!dirty || busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" class="secondary" disabled={!dirty} onClick={() => setEdits({})}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
