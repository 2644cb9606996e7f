// One measurement's trend (uPlot). Weight draws the personal baseline and the rules' thresholds
// from the readings endpoint's `reference`; blood pressure draws systolic and diastolic. Live
// readings are added as they come (the reference lines stay as loaded).
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { api } from '../api.js';
import { addLiveReadings, liveReadings, pushHeldBack } from '../liveReadings.js';
import { maybe } from '../i18n.js';
import { useLang } from '../lang.js';
import type { Lang, ReadingSeries } from '../types.js';

const DAY = 86_400_000;
const palette = { value: '#1f5f8b', systolic: '#1f5f8b', diastolic: '#7a4b9c', ref: '#8a5a00' };

function build(
  series: ReadingSeries,
  lang: Lang,
  t: (k: 'systolic' | 'diastolic' | 'baseline') => string,
) {
  const xs = series.points.map((p) => Date.parse(p.t) / 1000);
  const data: (number | null)[][] = [xs];
  const defs: uPlot.Series[] = [{}];
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
      label: maybe(lang, `type_${series.type}`) ?? series.type,
      stroke: palette.value,
      width: 2,
      points: pointStyle,
    });
  }
  const ref = series.reference;
  if (ref?.baseline) {
    data.push(xs.map(() => ref.baseline!.mean));
    defs.push({ label: t('baseline'), stroke: palette.ref, width: 1.5, points: { show: false } });
  }
  for (const line of ref?.lines ?? []) {
    data.push(xs.map(() => line.value));
    defs.push({
      label: line.label[lang],
      stroke: palette.ref,
      width: 1,
      dash: [4, 4],
      points: { show: false },
    });
  }
  return { data: data as uPlot.AlignedData, defs };
}

/** A y range with room around the values (a single point or a flat line included). */
const yRange: uPlot.Range.Function = (_u, min, max) => {
  if (min === null || max === null) return [0, 1];
  const pad = Math.max((max - min) * 0.1, Math.abs(max) * 0.02, 0.5);
  return [min - pad, max + pad];
};

export function TrendChart(props: { patientId: string; type: string; days: number }) {
  const { lang, t } = useLang();
  const host = useRef<HTMLDivElement>(null);
  const [series, setSeries] = useState<ReadingSeries | null>(null);
  const [error, setError] = useState<string | null>(null);
  // bumped when a push held readings back (liveReadings.ts): the series is loaded again
  const [reloads, setReloads] = useState(0);
  const title = maybe(lang, `type_${props.type}`) ?? props.type;

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
    const { data, defs } = build(series, lang, (k) => t(k));
    const to = Date.now() / 1000;
    const from = to - (props.days * DAY) / 1000;
    const width = () => Math.max(240, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        series: defs,
        scales: { x: { time: true, range: [from, to] }, y: { range: yRange } },
        axes: [{}, { size: 60 }],
        legend: { show: true },
        cursor: { focus: { prox: 16 } },
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
  }, [series, lang, t, props.days]);

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
      <div ref={host} class="chart-host" role="img" aria-label={t('chartOf', { type: title })} />
    </figure>
  );
}
