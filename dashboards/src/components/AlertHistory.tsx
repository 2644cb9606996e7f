// An alert's history (who did what, when, with which note), opened on request.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { maybe } from '../i18n.js';
import { describeProblemChange } from '../triage.js';
import { useLang, useNow } from '../lang.js';
import type { HistoryEntry } from '../types.js';
import { Time } from './bits.js';

export function AlertHistory({ alertId, version }: { alertId: string; version: number }) {
  const { lang, t } = useLang();
  const now = useNow(60_000);
  const [open, setOpen] = useState(false);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);

  useEffect(() => {
    if (!open) return;
    api.alert(alertId).then(
      (a) => setHistory(a.history),
      () => setHistory([]),
    );
  }, [open, alertId, version]);

  return (
    <details
      class="history"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t('events')}</summary>
      {open && !history && <p role="status">{t('loading')}</p>}
      {history && (
        <ol class="events">
          {history.map((h) => (
            <li key={h.seq}>
              <strong>{maybe(lang, `kind_${h.kind}`) ?? h.kind}</strong>
              {' · '}
              {h.actor?.displayName ?? t('system')}
              {' · '}
              <Time iso={h.at} now={now} />
              {(h.kind === 'opened' || h.kind === 'updated') && (
                <ProblemChange text={describeProblemChange(lang, h.data)} />
              )}
              {h.note && <p class="note">{h.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

const ProblemChange = ({ text }: { text: string | null }) =>
  text ? (
    <p class="change" data-testid="problem-change">
      {text}
    </p>
  ) : null;
