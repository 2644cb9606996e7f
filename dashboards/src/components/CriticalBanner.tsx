// The visible cue for a new critical alert: a banner that flashes once (not with reduced motion)
// and is announced by screen readers; it stays until dismissed or the alert is taken.
import { useLang } from '../lang.js';
import { hrefPatient } from '../route.js';
import type { Localized } from '../types.js';

export interface BannerItem {
  id: string;
  patientId: string;
  patient: string;
  reason: Localized;
}

export function CriticalBanner(props: { items: BannerItem[]; onDismiss(id: string): void }) {
  const { lang, t } = useLang();
  return (
    <div class="banner-region" role="alert" aria-live="assertive">
      {props.items.map((b) => (
        <div class="critical-banner" key={b.id} data-testid="critical-banner">
          <span class="badge sev-critical">{t('severity_critical')}</span>
          <a href={hrefPatient(b.patientId)}>
            {t('newCritical', { patient: b.patient, reason: b.reason[lang] })}
          </a>
          <button type="button" class="secondary" onClick={() => props.onDismiss(b.id)}>
            {t('dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
