// The rows of the alert-quality report: which of the hub's rules (server/rules/) each row
// scores, and the published figures the row corresponds to. Figures, citations and tags ([V]
// checked against the abstract) are in docs/clinical-evidence.md section 1.6. The papers'
// denominators and operating points differ from this model's (marked [U] there): read them as
// orders of magnitude, not as targets.

export interface PublishedFigure {
  /** Who and what, e.g. "Zhang 2009 (TEN-HMS), RoT 3 lb/1 d". */
  source: string;
  /** Share of episodes alerted ("true-alert rate" in Zhang 2009). */
  sensitivity?: number;
  /** Zhang 2009's "false-alert rate" (denominator not captured [U]). */
  falseAlertRate?: number;
  /** Positive predictive value of alerts. */
  ppv?: number;
}

export interface ReportRow {
  key: string;
  label: string;
  /** The hub's rule ids scored together as one detector. */
  rules: string[];
  published: PublishedFigure[];
}

export const REPORT_ROWS: ReportRow[] = [
  {
    key: 'rot_1d',
    label: 'Rule of thumb, 1 day (> 1.36 kg)',
    rules: ['weight.gain_1d'],
    published: [
      { source: 'Zhang 2009 (TEN-HMS), RoT 3 lb/1 d [V]', sensitivity: 0.58, falseAlertRate: 0.54 },
      { source: 'Ledwidge 2013 (HeartPhone), RoT 1.36 kg/1 d [V]', sensitivity: 0.46 },
    ],
  },
  {
    key: 'rot_3d',
    label: 'Rule of thumb, 3 days (> 2 kg)',
    rules: ['weight.gain_3d'],
    published: [
      {
        source: 'Zhang 2009 (TEN-HMS), RoT 5 lb (2.27 kg)/3 d [V]',
        sensitivity: 0.65,
        falseAlertRate: 0.58,
      },
      { source: 'Ledwidge 2013 (HeartPhone), guideline 2 kg/2-3 d [V]', sensitivity: 0.21 },
      { source: 'Gyllensten 2016, weight RoT (operating point [U]) [V]', sensitivity: 0.2 },
      { source: 'EHJ Digit Health 2023, weight RoT [V]', ppv: 0.06 },
    ],
  },
  {
    key: 'rot_any',
    label: 'Rule of thumb, 1 or 3 days',
    rules: ['weight.gain_1d', 'weight.gain_3d'],
    published: [],
  },
  {
    key: 'macd',
    label: 'MACD of weight (3/10 days, > 1 kg)',
    rules: ['weight.macd'],
    published: [
      { source: 'Zhang 2009 (TEN-HMS), MACD [V]', sensitivity: 0.2, falseAlertRate: 0.09 },
      { source: 'Gyllensten 2016, weight MACD (operating point [U]) [V]', sensitivity: 0.33 },
      { source: 'EHJ Digit Health 2023, weight MACD [V]', ppv: 0 },
    ],
  },
  {
    key: 'dry_weight',
    label: 'Above dry weight (> 2 kg)',
    rules: ['weight.above_dry_weight'],
    published: [],
  },
  {
    key: 'personal_weight',
    label: 'Personalised: weight up',
    rules: ['personal.weight_up'],
    published: [{ source: 'EHJ Digit Health 2023, personalised weight [V]', ppv: 0.16 }],
  },
  {
    key: 'personal_pulse',
    label: 'Personalised: resting pulse up',
    rules: ['personal.pulse_up'],
    published: [{ source: 'EHJ Digit Health 2023, personalised heart rate [V]', ppv: 0.92 }],
  },
  {
    key: 'personal_systolic',
    label: 'Personalised: systolic down',
    rules: ['personal.systolic_down'],
    published: [],
  },
  {
    key: 'personal_combined',
    label: 'Personalised: combined (2 of 3)',
    rules: ['personal.combined'],
    published: [],
  },
  {
    key: 'personal_any',
    label: 'Personalised detector (any worsening)',
    rules: [
      'personal.weight_up',
      'personal.pulse_up',
      'personal.systolic_down',
      'personal.combined',
    ],
    published: [
      {
        source: 'Ledwidge 2013 (HeartPhone), individualised moving average [V]',
        sensitivity: 0.82,
      },
    ],
  },
  {
    key: 'personal_score',
    label: 'Heart-failure score (weight, pulse, SpO2, systolic)',
    rules: ['personal.score'],
    published: [
      {
        source: 'Ledwidge 2013 (HeartPhone), individualised moving average [V]',
        sensitivity: 0.82,
      },
      { source: 'EHJ Digit Health 2023, personalised heart rate [V]', ppv: 0.92 },
    ],
  },
  {
    key: 'weight_any',
    label: 'Any weight-gain rule',
    rules: [
      'weight.gain_1d',
      'weight.gain_3d',
      'weight.macd',
      'weight.above_dry_weight',
      'personal.weight_up',
    ],
    published: [],
  },
];

/** Rules about worsening heart failure: the rest of what fires is listed as "other rules". */
export const REPORTED_RULES = new Set(REPORT_ROWS.flatMap((r) => r.rules));

/** Weight change over the 14 days before admission (TEN-HMS; Zhang 2009 [V]). */
export const ZHANG_WEIGHT_CHANGE = {
  beforeWorseningHf: { mean: 0.9, sd: 2.1 },
  beforeOtherAdmission: { mean: -0.2, sd: 1.1 },
};

/** Decompensation episodes per patient-year in the cohorts (docs/clinical-evidence.md section 1.6 [V]). */
export const PUBLISHED_EPISODE_RATES = [
  // 28 episodes, 87 patients x 23.9 weeks
  { source: 'Ledwidge 2013 (HeartPhone)', perPatientYear: 28 / ((87 * 23.9 * 7) / 365.25) },
  // 64 episodes, 74 patients x median 327 days (median, not mean: approximate)
  { source: 'EHJ Digit Health 2023', perPatientYear: 64 / ((74 * 327) / 365.25) },
];
