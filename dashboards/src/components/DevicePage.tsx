// A device's log, for answering "my readings don't arrive" without SQL: when it last delivered
// a reading, what it reports of itself, the last 7 days' traffic, the messages the hub refused
// (the reason in words, the errors, what was sent) and its latest readings. Tables, so that a
// screen reader reads each message with its column names; "Refresh" after the patient measures
// again.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { maybe, reasonKey, type Key } from '../i18n.js';
import { useLang, useNow } from '../lang.js';
import { hrefPatient } from '../route.js';
import { formatDateTime, formatReading, locales } from '../format.js';
import type { DeviceLog, DeviceReading, RefusedMessage } from '../types.js';
import { Time } from './bits.js';

export function DevicePage({ deviceId }: { deviceId: string }) {
  const { lang, t } = useLang();
  const now = useNow();
  const [log, setLog] = useState<DeviceLog | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    api
      .deviceLog(deviceId)
      .then(setLog, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, [deviceId]);
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [deviceId]);

  if (error && !log)
    return (
      <p class="error" role="alert">
        {t('loadFailed', { message: error })}
      </p>
    );
  if (!log) return <p role="status">{t('loading')}</p>;

  const { device } = log;
  const name = device.label ?? device.id;
  const newest = log.readings[0];
  const refusedTotal = log.recent.refused.reduce((n, r) => n + r.count, 0);
  // the times of a device's log are read in its patient's zone
  const when = (iso: string) => <Time iso={iso} now={now} timeZone={device.timeZone} />;

  return (
    <article class="device-page" data-testid="device-page">
      <p>
        <a href={hrefPatient(device.patientId)}>← {t('backToPatient')}</a>
      </p>
      <header class="card">
        <div class="section-head">
          <h1>{t('deviceLogTitle', { name })}</h1>
          <button type="button" class="secondary" onClick={load}>
            {t('refresh')}
          </button>
        </div>
        <p>
          {device.label && <code>{device.id}</code>}{' '}
          {device.revokedAt ? (
            <span class="badge revoked">
              {t('revoked', { time: formatDateTime(lang, device.revokedAt, device.timeZone) })}
            </span>
          ) : (
            <span class="badge active">{t('active')}</span>
          )}
        </p>
        {error && (
          <p class="error" role="alert">
            {t('loadFailed', { message: error })}
          </p>
        )}
        <dl class="facts">
          <div>
            <dt>{t('lastSeen')}</dt>
            <dd data-testid="last-seen">
              {log.lastSeenAt ? when(log.lastSeenAt) : t('neverSeen')}
            </dd>
          </div>
          <div>
            <dt>{t('deviceStatus')}</dt>
            <dd>{newest ? <Flags reading={newest} /> : '–'}</dd>
          </div>
          <div>
            <dt>{t('battery')}</dt>
            <dd>{t('batteryNotReported')}</dd>
          </div>
          <div>
            <dt>{t('recentTraffic')}</dt>
            <dd data-testid="recent">
              {t('acceptedCount', { n: log.recent.accepted })}
              <br />
              {t('refusedCount', { n: refusedTotal })}
              {log.recent.refused.length > 0 && (
                <ul class="plain">
                  {log.recent.refused.map((r) => (
                    <li key={r.reason}>
                      {t(reasonKey(r.reason))}: {r.count}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      </header>

      <LogTable part="refused">
        {log.refused.map((m, i) => (
          <Refused key={`${m.receivedAt}-${i}`} message={m} when={when} />
        ))}
      </LogTable>

      <LogTable part="readings">
        {log.readings.map((r) => (
          <tr key={r.messageId}>
            <td>{maybe(lang, `type_${r.type}`) ?? r.type}</td>
            <td>{formatReading(lang, r.type, r)}</td>
            <td>{when(r.measuredAt)}</td>
            <td>{when(r.receivedAt)}</td>
            <td>
              <Flags reading={r} />
            </td>
          </tr>
        ))}
      </LogTable>
    </article>
  );
}

/** The log's two tables, each its title, the words when it is empty, its test id and its columns
 * (as data, so that the page says each table once and LogTable draws both the one way). */
const PARTS = {
  refused: {
    title: 'refusedMessages',
    empty: 'noRefused',
    testId: 'refused',
    columns: ['receivedAt', 'reason', 'refusedErrors', 'messageId', 'payload'],
  },
  readings: {
    title: 'deviceReadings',
    empty: 'noDeviceReadings',
    testId: 'device-readings',
    columns: ['measurement', 'value', 'measuredAt', 'receivedAt', 'status'],
  },
} as const satisfies Record<string, { title: Key; empty: Key; testId: string; columns: Key[] }>;

/** A part of the log: its title and a table of its rows (a region that scrolls by keyboard too). */
function LogTable({ part, children }: { part: keyof typeof PARTS; children: JSX.Element[] }) {
  const { t } = useLang();
  const { title, empty, testId, columns } = PARTS[part];
  const id = `${part}-title`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t(title)}</h2>
      {children.length === 0 ? (
        <p>{t(empty)}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={id}>
          <table data-testid={testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {t(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** What the device said of a measurement: its flags, and whether they make the value doubtful. */
function Flags({ reading }: { reading: DeviceReading }) {
  const { t } = useLang();
  if (reading.deviceStatus.length === 0) return <>{t('noStatusFlags')}</>;
  return (
    <>
      {reading.questionable && <strong>{t('questionable')}: </strong>}
      {reading.deviceStatus.flatMap((f, i) => [i > 0 ? ', ' : null, <code key={f}>{f}</code>])}
    </>
  );
}

function Refused({
  message: m,
  when,
}: {
  message: RefusedMessage;
  when(iso: string): JSX.Element;
}) {
  const { lang, t } = useLang();
  const bytes = new Intl.NumberFormat(locales[lang], {
    style: 'unit',
    unit: 'byte',
    unitDisplay: 'long',
  });
  return (
    <tr data-reason={m.reason}>
      <td>{when(m.receivedAt)}</td>
      <td>
        <strong>{t(reasonKey(m.reason))}</strong> <code class="muted">{m.reason}</code>
      </td>
      <td>
        <ul class="plain">
          {m.errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      </td>
      <td>{m.messageId ? <code>{m.messageId}</code> : '–'}</td>
      <td>
        {m.preview !== null && (
          <code class="preview">
            {m.preview}
            {m.previewCut && '…'}
          </code>
        )}{' '}
        <span class="muted">({bytes.format(m.payloadSize)})</span>
      </td>
    </tr>
  );
}
