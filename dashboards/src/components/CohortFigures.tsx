// What the heart-failure score's setting found on the simulated cohorts, now and as proposed
// (the what-if's `cohort`, server/rules/scoreCurve.ts): the figures docs/simulation.md chose the
// default by, beside this patient's own count.
import { formatNumber } from '../format.js';
import { useLang } from '../lang.js';
import type { WhatIf } from '../types.js';

type Figures = WhatIf['cohort']['current'];

export function CohortFigures({ cohort }: { cohort: WhatIf['cohort'] }) {
  const { lang, t } = useLang();
  const about = cohort.proposed ?? cohort.current;
  if (!about) return null;
  const cells = (f: Figures) =>
    f ? (
      <>
        <td>{formatNumber(lang, f.sensitivity * 100, { maxDecimals: 0 })} %</td>
        <td>{formatNumber(lang, f.falseAlertsPerPatientYear, { maxDecimals: 2 })}</td>
        <td>
          {f.medianWarningDays === null
            ? '–'
            : `${formatNumber(lang, f.medianWarningDays, { maxDecimals: 1 })} d`}
        </td>
      </>
    ) : (
      <td colSpan={3}>{t('whatIfCohortOff')}</td>
    );
  const caption = t('whatIfCohort', {
    seeds: about.seeds,
    patients: formatNumber(lang, about.patients),
    days: formatNumber(lang, about.days),
  });
  // scrolls sideways on a phone rather than cutting its columns off
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table data-testid="what-if-cohort">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">{t('whatIfCohortFound')}</th>
            <th scope="col">{t('whatIfCohortFalse')}</th>
            <th scope="col">{t('whatIfCohortWarning')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('whatIfNow')}</th>
            {cells(cohort.current)}
          </tr>
          <tr>
            <th scope="row">{t('whatIfProposedCol')}</th>
            {cells(cohort.proposed)}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
