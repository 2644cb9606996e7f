// One measurement's trend (uPlot). Weight draws the personal baseline and the rules' thresholds
// from the readings endpoint's `reference`; blood pressure draws systolic and diastolic. Live
// readings are added as they come (the reference lines stay as loaded). Axes, legend and values
// are the reader's (format.ts): days as "24 nov." on the patient's midnights, numbers with a
// decimal comma in Swedish, the unit on the y axis and with every value; each reference line has
// its own colour and dash, and its label drawn at its right end.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { api } from '../api.js';
import {
  canonicalUnits,
  formatDateTime,
  formatDay,
  formatNumber,
  formatValue,
  unitName,
} from '../format.js';
import { addLiveReadings, liveReadings, pushHeldBack } from '../liveReadings.js';
import { typeName, type Key } from '../i18n.js';
import { useLang } from '../lang.js';
import type { Lang, ReadingSeries } from '../types.js';

const DAY = 86_400_000;
const palette = { value: '#1f5f8b', systolic: '#1f5f8b', diastolic: '#7a4b9c' };
/** The baseline, then each threshold line: told apart by colour and by dash (for colour blindness). */
const baselineStyle = { stroke: '#5c4a00', dash: [] as number[], width: 1.5 };
const lineStyles = [
  { stroke: '#b3261e', dash: [8, 4] },
  { stroke: '#1b6e3a', dash: [2, 3] },
  { stroke: '#7b3fa0', dash: [12, 4, 2, 4] },
  { stroke: '#a14f00', dash: [4, 4] },
  { stroke: '#00636b', dash: [1, 5] },
];
/** Day ticks only: one day, or a multiple, apart (seconds, uPlot's time unit). */
const dayIncrs = [1, 2, 3, 7, 14, 28, 56].map((d) => (d * DAY) / 1000);

interface RefLine {
  label: string;
  value: number;
  stroke: string;
  /** index of its series in the plot */
  series: number;
}

function build(series: ReadingSeries, lang: Lang, t: (k: Key) => string) {
  const xs = series.points.map((p) => Date.parse(p.t) / 1000);
  const data: (number | null)[][] = [xs];
  const defs: uPlot.Series[] = [{}];
  const refs: RefLine[] = [];
  const pointStyle = { show: true, size: 6 };
  if (series.type === 'blood_pressure') {
    data.push(series.points.map((p) => p.systolic));
    defs.push({ label: t('systolic'), stroke: palette.systolic, width: 2, points: pointStyle });
    data.push(series.points.map((p) => p.diastolic));
    defs.push({
      label: t('diastolic'),
      stroke: palette.diastolic,
      width: 2,
      dash: [6, 3],
      points: pointStyle,
    });
  } else {
    data.push(series.points.map((p) => p.value));
    defs.push({
      label: typeName(lang, series.type),
      stroke: palette.value,
      width: 2,
      points: pointStyle,
    });
  }
  const ref = series.reference;
  const lines = [
    ...(ref?.baseline
      ? [{ label: t('baseline'), value: ref.baseline.mean, ...baselineStyle }]
      : []),
    ...(ref?.lines ?? []).map((l, i) => ({
      label: l.label[lang],
      value: l.value,
      width: 1.25,
      ...lineStyles[i % lineStyles.length]!,
    })),
  ];
  for (const l of lines) {
    refs.push({ label: l.label, value: l.value, stroke: l.stroke, series: defs.length });
    data.push(xs.map(() => l.value));
    defs.push({
      label: l.label,
      stroke: l.stroke,
      width: l.width,
      dash: l.dash,
      points: { show: false },
    });
  }
  return { data: data as uPlot.AlignedData, defs, refs };
}

/**
 * Each shown reference line's label at the right end of its line, above it, in its colour on a
 * white halo; labels that would overlap are moved apart.
 */
function drawRefLabels(u: uPlot, refs: readonly RefLine[]) {
  const ctx = u.ctx;
  const dpr = devicePixelRatio || 1;
  const size = 11 * dpr;
  const { left, top, width, height } = u.bbox;
  const shown = refs
    .filter((r) => u.series[r.series]?.show)
    .map((r) => ({ ...r, y: u.valToPos(r.value, 'y', true) - 3 * dpr }))
    .filter((r) => r.y > top && r.y < top + height + size)
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < shown.length; i++) {
    const prev = shown[i - 1]!;
    if (shown[i]!.y - prev.y < size + 2 * dpr) shown[i]!.y = prev.y + size + 2 * dpr;
  }
  ctx.save();
  ctx.font = `${size}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.lineWidth = 3 * dpr;
  ctx.strokeStyle = '#fff';
  for (const r of shown) {
    const x = left + width - 4 * dpr;
    ctx.strokeText(r.label, x, r.y);
    ctx.fillStyle = r.stroke;
    ctx.fillText(r.label, x, r.y);
  }
  ctx.restore();
}

/** A y range with room around the values (a single point or a flat line included). */
const yRange: uPlot.Range.Function = (_u, min, max) => {
  if (min === null || max === null) return [0, 1];
  const pad = Math.max((max - min) * 0.1, Math.abs(max) * 0.02, 0.5);
  return [min - pad, max + pad];
};

export function TrendChart(props: {
  patientId: string;
  type: string;
  days: number;
  /** The patient's zone: the axis's days start at their midnight. */
  timeZone: string;
}) {
  const { lang, t } = useLang();
  const host = useRef<HTMLDivElement>(null);
  const [series, setSeries] = useState<ReadingSeries | null>(null);
  const [error, setError] = useState<string | null>(null);
  // bumped when a push held readings back (liveReadings.ts): the series is loaded again
  const [reloads, setReloads] = useState(0);
  const title = typeName(lang, props.type);
  const unit = canonicalUnits[props.type as keyof typeof canonicalUnits] ?? '';
  const unitLabel = unit ? unitName(lang, unit, props.type) : '';

  useEffect(() => {
    let cancelled = false;
    const to = new Date();
    const from = new Date(to.getTime() - props.days * DAY);
    if (!reloads) setSeries(null); // a reload keeps the chart on screen until the new series
    api.readings(props.patientId, props.type, from, to).then(
      (s) => !cancelled && setSeries(s),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.patientId, props.type, props.days, reloads]);

  // new readings arrive live: the chart grows without a reload, unless the push held some back
  useEffect(
    () =>
      liveReadings.subscribe((items) => {
        if (pushHeldBack(items, props.patientId, props.type)) {
          setReloads((n) => n + 1);
          return;
        }
        const from = Date.now() - props.days * DAY;
        setSeries((s) => (s ? addLiveReadings(s, props.patientId, items, from) : s));
      }),
    [props.patientId, props.type, props.days],
  );

  useEffect(() => {
    const el = host.current;
    if (!el || !series || series.points.length === 0) return;
    const { data, defs, refs } = build(series, lang, t);
    const value = (_u: uPlot, v: number | null) =>
      v === null ? '–' : formatValue(lang, v, unit, { type: props.type });
    defs[0] = {
      label: t('chartTime'),
      value: (_u, v: number | null) =>
        v === null ? '–' : formatDateTime(lang, v * 1000, props.timeZone),
    };
    for (const d of defs.slice(1)) d.value = value;
    const to = Date.now() / 1000;
    const from = to - (props.days * DAY) / 1000;
    const width = () => Math.max(240, el.clientWidth);
    let xLabels: string[] = [];
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        series: defs,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), props.timeZone),
        scales: { x: { time: true, range: [from, to] }, y: { range: yRange } },
        axes: [
          {
            incrs: dayIncrs,
            space: 56,
            values: (_u, splits) =>
              (xLabels = splits.map((s) => formatDay(lang, s * 1000, props.timeZone))),
          },
          {
            size: 56,
            label: unitLabel,
            labelSize: 20,
            values: (_u, splits) => splits.map((v) => formatNumber(lang, v, { maxDecimals: 2 })),
          },
        ],
        legend: { show: true },
        cursor: { focus: { prox: 16 } },
        hooks: {
          draw: [
            (u) => {
              drawRefLabels(u, refs);
              // what the x axis shows, for tests and tools that cannot read the canvas
              el.dataset.xLabels = xLabels.join('|');
            },
          ],
        },
      },
      data,
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [series, lang, t, props.days, props.timeZone]);

  const n = series?.points.length ?? 0;
  return (
    <figure class="chart card" data-testid={`chart-${props.type}`} data-points={n}>
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!series && !error && <p role="status">{t('loading')}</p>}
      {series && n === 0 && <p class="muted">{t('noReadings')}</p>}
      <div
        ref={host}
        class="chart-host"
        role="img"
        aria-label={t('chartOf', { type: unitLabel ? `${title} (${unitLabel})` : title })}
      />
    </figure>
  );
}
