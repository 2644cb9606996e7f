// The patient's audit log: who read or changed their data, when, what and from where (the
// patient's right to know who looked). Newest first, as the API gives it; a table, so that a
// screen reader reads each entry with its column names. A read by someone an alert escalated
// to (the on-call unit), not by the patient's own care units, says so.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { maybe } from '../i18n.js';
import { useLang, useNow } from '../lang.js';
import type { AuditEntry } from '../types.js';
import { Time } from './bits.js';

const SHOWN = 100;

/** `version`: changed after something here was changed, so that the log shows it. */
export function AuditTrail(props: { patientId: string; timeZone: string; version?: number }) {
  const { lang, t } = useLang();
  const now = useNow();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setEntries(null);
    api
      .audit(props.patientId)
      .then(setEntries, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [props.patientId, props.version]);

  return (
    <div class="audit card" data-testid="audit">
      <p class="muted">{t('auditIntro')}</p>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!entries && !error && <p role="status">{t('loading')}</p>}
      {entries?.length === 0 && <p>{t('noAudit')}</p>}
      {entries && entries.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('auditTrail')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('auditWhen')}</th>
                <th scope="col">{t('auditWho')}</th>
                <th scope="col">{t('auditWhat')}</th>
                <th scope="col">{t('auditFrom')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.slice(0, SHOWN).map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>
                    <Time iso={e.at} now={now} timeZone={props.timeZone} />
                  </td>
                  <td>{e.staffName}</td>
                  <td>
                    {maybe(lang, `audit_${e.action}`) ?? e.action}
                    {e.via === 'escalation' && (
                      <span class="via" data-testid="audit-via-escalation">
                        {' '}
                        ({t('auditViaEscalation')})
                      </span>
                    )}
                  </td>
                  <td>{e.ip ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
