// The shell: who is signed in, the header (language, sign-out, live status), the banner for new
// critical alerts, and the views (triage, patient list, patient, a device's log). The alert
// list lives here so that the live feed keeps it current whichever view is open.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, setUnauthenticatedHandler } from '../api.js';
import { beep, unlockAudio } from '../cue.js';
import { useLang } from '../lang.js';
import { liveReadings } from '../liveReadings.js';
import { connectFeed, type Feed } from '../realtime.js';
import { hrefPatients, hrefTriage, useRoute } from '../route.js';
import { applyAlertEvent, isNewCritical } from '../triage.js';
import type { Alert, AlertEvent, Me } from '../types.js';
import { CriticalBanner, type BannerItem } from './CriticalBanner.js';
import { DevicePage } from './DevicePage.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { PatientList } from './PatientList.js';
import { PatientView } from './PatientView.js';
import { PushToggle } from './PushToggle.js';
import { SignIn } from './SignIn.js';
import { TriageList } from './TriageList.js';

/** `signedIn`: through the form just now (the focus then moves from the gone form to the page). */
type Auth = { state: 'checking' } | { state: 'out' } | { state: 'in'; me: Me; signedIn?: boolean };

export function App() {
  const { t } = useLang();
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });

  useEffect(() => {
    setUnauthenticatedHandler(() => setAuth({ state: 'out' }));
    api.me().then(
      (me) => setAuth({ state: 'in', me }),
      () => setAuth({ state: 'out' }),
    );
    const unlock = () => unlockAudio();
    addEventListener('pointerdown', unlock);
    addEventListener('keydown', unlock);
    return () => {
      removeEventListener('pointerdown', unlock);
      removeEventListener('keydown', unlock);
    };
  }, []);

  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      {auth.state === 'checking' && (
        <p class="page-status" role="status">
          {t('loading')}
        </p>
      )}
      {auth.state === 'out' && (
        <>
          <header class="topbar">
            <span class="brand">{t('appTitle')}</span>
            <LanguageSwitch />
          </header>
          <SignIn onSignedIn={(me) => setAuth({ state: 'in', me, signedIn: true })} />
        </>
      )}
      {auth.state === 'in' && (
        <SignedIn
          me={auth.me}
          focusMain={!!auth.signedIn}
          onSignedOut={() => setAuth({ state: 'out' })}
        />
      )}
    </>
  );
}

function SignedIn({
  me,
  focusMain,
  onSignedOut,
}: {
  me: Me;
  focusMain: boolean;
  onSignedOut(): void;
}) {
  const { t } = useLang();
  const route = useRoute();
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [banner, setBanner] = useState<BannerItem[]>([]);
  const alertsRef = useRef<Alert[]>([]);
  const loading = useRef(false);
  const pending = useRef<AlertEvent[]>([]);
  const feed = useRef<Feed | null>(null);

  const commit = (next: Alert[]) => {
    alertsRef.current = next;
    setAlerts(next);
  };

  const load = useCallback(async () => {
    loading.current = true;
    try {
      const list = await api.alerts();
      let next = list;
      for (const e of pending.current.splice(0)) next = applyAlertEvent(next, e);
      feed.current?.seen(Math.max(0, ...list.map((a) => a.seq)));
      commit(next);
      setLoadError(null);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) {
        setLoadError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      loading.current = false;
    }
  }, []);

  const onAlert = useCallback((event: AlertEvent) => {
    // the hub sends the alert with its change; an event without one (an older hub): fetch it
    // (404: no longer this person's to see)
    if (!event.alert) {
      api.alert(event.change.alertId).then(
        (a) => onAlert({ ...event, alert: a }),
        (err: unknown) => {
          if (err instanceof ApiError && err.status === 404) apply(event);
        },
      );
      return;
    }
    apply(event);
  }, []);

  const apply = (event: AlertEvent) => {
    if (loading.current) pending.current.push(event);
    const before = alertsRef.current;
    if (isNewCritical(before, event) && event.alert) {
      const a = event.alert;
      setBanner((b) => [
        ...b.filter((x) => x.id !== a.id),
        { id: a.id, patientId: a.patientId, patient: a.patientName, reason: a.reason },
      ]);
      beep();
    }
    commit(applyAlertEvent(before, event));
  };

  // the sign-in form held the focus: the keyboard goes on from the main content, not the top
  useEffect(() => {
    if (focusMain) document.getElementById('main')?.focus();
  }, []);

  useEffect(() => {
    void load();
    const f = connectFeed({
      onAlert,
      onStatus: setLive,
      onReload: () => void load(),
      // the open patient view's charts and latest values listen (liveReadings.ts)
      onReadings: (items) => liveReadings.emit(items),
    });
    feed.current = f;
    return () => f.close();
  }, [load, onAlert]);

  // an alert someone acknowledged or resolved leaves the banner (a new alert may already have
  // an owner: the patient's fixed care contact)
  useEffect(() => {
    setBanner((b) => b.filter((x) => alerts?.some((a) => a.id === x.id && a.status === 'open')));
  }, [alerts]);

  const signOut = async () => {
    try {
      await api.signOut();
    } finally {
      onSignedOut();
    }
  };

  const replace = (a: Alert) => {
    commit(
      applyAlertEvent(alertsRef.current, {
        change: {
          seq: a.seq,
          alertId: a.id,
          patientId: a.patientId,
          kind: 'updated',
          actorId: me.id,
          note: null,
          at: a.updatedAt,
          data: {},
        },
        alert: a,
      }),
    );
  };

  // a new frailty level shows on the patient's cards at once (the hub's alert list reads the same)
  const setFrailty = (patientId: string, level: number) =>
    commit(
      alertsRef.current.map((a) => (a.patientId === patientId ? { ...a, frailty: level } : a)),
    );

  return (
    <>
      <header class="topbar">
        <a class="brand" href={hrefTriage}>
          {t('appTitle')}
        </a>
        <nav aria-label={t('appTitle')}>
          <a href={hrefTriage} aria-current={route.name === 'triage' ? 'page' : undefined}>
            {t('triage')}
          </a>
          <a href={hrefPatients()} aria-current={route.name === 'patients' ? 'page' : undefined}>
            {t('patients')}
          </a>
        </nav>
        <span class={`live ${live ? 'on' : 'off'}`} role="status">
          <span aria-hidden="true">{live ? '●' : '○'}</span> {live ? t('live') : t('offline')}
        </span>
        <span class="who">{t('signedInAs', { name: me.displayName })}</span>
        <PushToggle />
        <LanguageSwitch />
        <button type="button" class="secondary" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <CriticalBanner
        items={banner}
        onDismiss={(id) => setBanner((b) => b.filter((x) => x.id !== id))}
      />
      <main id="main" tabIndex={-1}>
        {route.name === 'triage' && (
          <TriageList
            alerts={alerts}
            error={loadError}
            onRetry={() => void load()}
            onChanged={replace}
            alertId={route.alertId}
          />
        )}
        {route.name === 'patients' && <PatientList query={route.query} />}
        {route.name === 'patient' && (
          <PatientView
            key={route.id}
            patientId={route.id}
            liveAlerts={alerts ?? []}
            onChanged={replace}
            onFrailty={setFrailty}
          />
        )}
        {route.name === 'device' && <DevicePage key={route.id} deviceId={route.id} />}
      </main>
    </>
  );
}
