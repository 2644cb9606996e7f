// Edit a patient's plan: every rule's settings and the measurement schedule, grouped by
// measurement, for the measurements the patient has (schedule or readings). Numbers are typed
// and shown the reader's way (a decimal comma in Swedish). Before saving, the proposed plan is
// replayed over the patient's last 90 days (POST .../plan/what-if) and the editor shows how many
// alerts it would have raised, per rule by name, beside the current plan's count.
import { useEffect, useState } from 'preact/hooks';
import { api, failureText } from '../api.js';
import { CohortFigures } from './CohortFigures.js';
import { formatNumber, formatValue, unitName } from '../format.js';
import { ruleName, typeName, type Key } from '../i18n.js';
import { useLang } from '../lang.js';
import {
  choiceFields,
  getPath,
  groupsFor,
  measuredTypes,
  measurementTypes,
  planFields,
  proposePlan,
  scheduleFields,
  scheduleRows,
  type Group,
  type PlanField,
  type ScheduleRow,
} from '../plan.js';
import type { Lang, PlanResponse, ReadingType, WhatIf } from '../types.js';

const isType = (g: Group): g is ReadingType => (measurementTypes as string[]).includes(g);

const groupName = (lang: Lang, t: (k: Key) => string, g: Group) =>
  isType(g) ? typeName(lang, g) : t(g === 'personal' ? 'planGroup_personal' : 'planGroup_general');

/** "Viktökning på 1 dygn, mer än (kg)": the label with its unit as the reader writes it. */
function fieldLabel(lang: Lang, t: (k: Key) => string, f: PlanField): string {
  const type = isType(f.group) ? f.group : undefined;
  return f.unit ? `${t(f.label)} (${unitName(lang, f.unit, type)})` : t(f.label);
}

function NumberInput(props: {
  f: PlanField;
  name: string;
  value: string;
  placeholder?: string;
  invalid: boolean;
  hint?: string;
  onInput(v: string): void;
}) {
  const { lang, t } = useLang();
  const { f } = props;
  const id = `plan-${props.name.replace(/\W/g, '-')}`;
  const write = (n: number) => formatNumber(lang, n, { grouping: false });
  // the hint is outside the label: the field's name is its label, the hint describes it
  return (
    <div class="field">
      <label for={id}>{fieldLabel(lang, t, f)}</label>
      <input
        type="text"
        inputMode={f.integer ? 'numeric' : 'decimal'}
        autoComplete="off"
        id={id}
        name={props.name}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={props.invalid}
        aria-describedby={`${id}-hint`}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <span class={props.invalid ? 'hint error' : 'hint'} id={`${id}-hint`}>
        {props.invalid ? t('fieldRange', { min: write(f.min), max: write(f.max) }) : props.hint}
      </span>
    </div>
  );
}

export function PlanEditor({ patientId, latest }: { patientId: string; latest: string[] }) {
  const { lang, t } = useLang();
  /** A count over the replayed days as a yearly rate, the curve's unit. */
  const perYear = (alerts: number, days: number) =>
    formatNumber(lang, (alerts * 365.25) / days, { maxDecimals: 1 });
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  // null: the schedule as stored
  const [schedule, setSchedule] = useState<ScheduleRow[] | null>(null);
  const [adding, setAdding] = useState<string>('');
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

  const write = (n: number) => formatNumber(lang, n, { grouping: false });
  const storedRows = plan ? scheduleRows(plan.plan, write) : [];
  const rows = schedule ?? storedRows;
  const dirty = Object.keys(edits).length > 0 || schedule !== null;
  const proposal = plan ? proposePlan(plan.plan, edits, lang, schedule ?? undefined) : null;
  const valid = proposal !== null && proposal.invalid.length === 0;
  // the hub names a refused field by its path in the body (`plan.weight.gain3dKg`): its label here
  const problem = (e: unknown) =>
    failureText(e, (field) => {
      const f = planFields.find((x) => `plan.${x.path}` === field);
      return t('invalidField', { field: f ? fieldLabel(lang, t, f) : field });
    });

  // replay the proposal, debounced while the person types; not while a field is not a value
  useEffect(() => {
    if (!plan || !dirty || !proposal || !valid) {
      setWhatIf(null);
      setCalculating(false);
      return;
    }
    let cancelled = false;
    setCalculating(true);
    const timer = setTimeout(() => {
      api.whatIf(patientId, proposal.plan).then(
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
          setError(problem(e));
        },
      );
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [patientId, plan, valid, JSON.stringify(proposal?.plan)]);

  if (!plan) return error ? <p class="error">{error}</p> : <p role="status">{t('loading')}</p>;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!proposal || !valid) return;
    setBusy(true);
    try {
      const next = await api.savePlan(patientId, proposal.plan);
      setPlan(next);
      setEdits({});
      setSchedule(null);
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  };

  const edit = (path: string, storedText: string, v: string) => {
    setSaved(false);
    setEdits((old) => {
      const next = { ...old };
      if (v === storedText) delete next[path];
      else next[path] = v;
      return next;
    });
  };
  const editRows = (change: (rows: ScheduleRow[]) => ScheduleRow[]) => {
    setSaved(false);
    const next = change(rows);
    setSchedule(JSON.stringify(next) === JSON.stringify(storedRows) ? null : next);
  };
  const addRow = (type: ReadingType) =>
    editRows((r) => [...r, { type, everyDays: '', dueBy: '', graceHours: '' }]);
  const invalid = new Set(proposal?.invalid);

  const numberField = (f: PlanField) => {
    const stored = getPath(plan.plan, f.path);
    const resolved = getPath(plan.resolved, f.path);
    const storedText = typeof stored === 'number' ? write(stored) : '';
    const type = isType(f.group) ? f.group : undefined;
    const shown = (n: number) =>
      f.unit ? formatValue(lang, n, f.unit, { type, maxDecimals: 3 }) : write(n);
    return (
      <NumberInput
        key={f.path}
        f={f}
        name={f.path}
        value={edits[f.path] ?? storedText}
        placeholder={typeof resolved === 'number' ? write(resolved) : ''}
        invalid={invalid.has(f.path)}
        hint={
          stored === undefined
            ? `${t('planDefault')}${typeof resolved === 'number' ? `: ${shown(resolved)}` : ''}`
            : t('planOverridden')
        }
        onInput={(v) => edit(f.path, storedText, v)}
      />
    );
  };

  const scheduleOf = (type: ReadingType) => {
    const i = rows.findIndex((r) => r.type === type);
    const row = rows[i];
    if (!row)
      return (
        <p class="schedule">
          {t('scheduleNone')}{' '}
          <button type="button" class="secondary" onClick={() => addRow(type)}>
            {t('scheduleAdd')}
          </button>
        </p>
      );
    const set = (key: keyof ScheduleRow, v: string) =>
      editRows((r) => r.map((x, j) => (j === i ? { ...x, [key]: v } : x)));
    const dueId = `plan-measurements-${i}-dueBy`;
    const dueInvalid = invalid.has(`measurements.${i}.dueBy`);
    return (
      <div
        class="schedule field-grid"
        role="group"
        aria-label={t('schedule')}
        data-testid={`schedule-${type}`}
      >
        {scheduleFields.map((f) => (
          <NumberInput
            key={f.path}
            f={f}
            name={`measurements.${i}.${f.path}`}
            value={row[f.path as 'everyDays' | 'graceHours']}
            invalid={invalid.has(`measurements.${i}.${f.path}`)}
            onInput={(v) => set(f.path as keyof ScheduleRow, v)}
          />
        ))}
        <div class="field">
          <label for={dueId}>{t('sched_dueBy')}</label>
          <input
            type="time"
            id={dueId}
            name={`measurements.${i}.dueBy`}
            value={row.dueBy}
            aria-invalid={dueInvalid}
            aria-describedby={`${dueId}-hint`}
            onInput={(e) => set('dueBy', e.currentTarget.value)}
          />
          <span class={dueInvalid ? 'hint error' : 'hint'} id={`${dueId}-hint`}>
            {dueInvalid ? t('fieldTime') : ''}
          </span>
        </div>
        <div>
          <button
            type="button"
            class="secondary"
            onClick={() => editRows((r) => r.filter((_, j) => j !== i))}
          >
            {t('scheduleRemove')}
          </button>
        </div>
      </div>
    );
  };

  const measured = measuredTypes(proposal?.plan, latest);
  const groups = groupsFor(measured);
  const unmeasured = measurementTypes.filter((ty) => !measured.includes(ty));
  const rules = whatIf
    ? [...new Set([...Object.keys(whatIf.current.byRule), ...Object.keys(whatIf.proposed.byRule)])]
    : [];

  return (
    <form class="plan-editor card stack" onSubmit={(e) => void save(e)} data-testid="plan-editor">
      <h3>{t('editThresholds')}</h3>
      {groups.map((g) => {
        const fields = planFields.filter((f) => f.group === g);
        const choices = choiceFields.filter((c) => c.group === g);
        return (
          <fieldset key={g} class="plan-group" data-group={g}>
            <legend>{groupName(lang, t, g)}</legend>
            {isType(g) && scheduleOf(g)}
            {(fields.length > 0 || choices.length > 0) && (
              <div class="field-grid">
                {fields.map(numberField)}
                {choices.map((c) => {
                  const stored = getPath(plan.plan, c.path);
                  const storedText = stored === undefined ? '' : String(stored);
                  return (
                    <label key={c.path}>
                      {t(c.label)}
                      <select
                        name={c.path}
                        value={edits[c.path] ?? storedText}
                        onChange={(e) => edit(c.path, storedText, e.currentTarget.value)}
                      >
                        <option value="">{t('planDefault')}</option>
                        {c.options.map((o) => (
                          <option key={String(o.value)} value={String(o.value)}>
                            {t(o.label)}
                          </option>
                        ))}
                      </select>
                    </label>
                  );
                })}
              </div>
            )}
          </fieldset>
        );
      })}
      {unmeasured.length > 0 && (
        <div class="controls">
          <label>
            {t('addMeasurement')}
            <select value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
              <option value="" />
              {unmeasured.map((ty) => (
                <option key={ty} value={ty}>
                  {typeName(lang, ty)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="secondary"
            disabled={adding === ''}
            onClick={() => {
              addRow(adding as ReadingType);
              setAdding('');
            }}
          >
            {t('add')}
          </button>
        </div>
      )}
      <div class="what-if" aria-live="polite" data-testid="what-if">
        {dirty && calculating && <p role="status">{t('whatIfCalculating')}</p>}
        {dirty && whatIf && !calculating && (
          <>
            <p>
              <strong>{t('whatIfTitle', { n: whatIf.days })}</strong>
            </p>
            <p>
              {t('whatIfCurrent', { n: whatIf.current.alerts })}
              <br />
              <strong>{t('whatIfProposed', { n: whatIf.proposed.alerts })}</strong>
              <br />
              {t('whatIfPerYear', {
                now: perYear(whatIf.current.alerts, whatIf.days),
                proposed: perYear(whatIf.proposed.alerts, whatIf.days),
              })}
            </p>
            <CohortFigures cohort={whatIf.cohort} />
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
                    <tr key={r} data-rule={r}>
                      <th scope="row">{ruleName(lang, r)}</th>
                      <td>{formatNumber(lang, whatIf.current.byRule[r] ?? 0)}</td>
                      <td>{formatNumber(lang, whatIf.proposed.byRule[r] ?? 0)}</td>
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
        <button type="submit" disabled={!dirty || !valid || busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!dirty}
          onClick={() => {
            setEdits({});
            setSchedule(null);
          }}
        >
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
