// A small chart of the days around an alert (the card's "Visa varför"): the patient's readings of
// one type, the readings the alert rests on ringed, and each threshold a dashed line labelled at
// its right end. TrendChart's looks (colours, dashes, the reader's days and numbers) slimmed to
// an SVG of its own: a few dozen points need no canvas, and an SVG can be read by tests and
// screen readers (each ringed reading has its value and time as a title).
import { formatDateTime, formatDay, formatNumber, formatValue, unitName } from '../format.js';
import { ruleName, typeName } from '../i18n.js';
import { useLang } from '../lang.js';
import type { ExplainedReading, Point, ThresholdLine } from '../types.js';

const W = 640;
const H = 200;
const PAD = { left: 52, right: 8, top: 10, bottom: 24 };
const DAY = 86_400_000;
const colours = { value: '#1f5f8b', systolic: '#1f5f8b', diastolic: '#7a4b9c', mark: '#b3261e' };
/** Threshold lines: told apart by colour and dash, as TrendChart's are. */
const lineStyles = [
  { stroke: '#b3261e', dash: '8 4' },
  { stroke: '#1b6e3a', dash: '2 3' },
  { stroke: '#7b3fa0', dash: '12 4 2 4' },
  { stroke: '#a14f00', dash: '4 4' },
];

type Field = 'value' | 'systolic' | 'diastolic';
const fieldsOf = (type: string): Field[] =>
  type === 'blood_pressure' ? ['systolic', 'diastolic'] : ['value'];

export function ExplainChart(props: {
  type: string;
  unit: string | null;
  points: Point[];
  /** The readings the alert rests on (of this type): ringed. */
  marks: ExplainedReading[];
  lines: ThresholdLine[];
  from: string;
  to: string;
  timeZone: string;
}) {
  const { lang, t } = useLang();
  const fields = fieldsOf(props.type);
  // a pulse read from a blood-pressure cuff has no series of its own here
  const lines = props.lines.filter((l) => (fields as string[]).includes(l.field));
  const x0 = Date.parse(props.from);
  const x1 = Math.max(Date.parse(props.to), x0 + DAY);
  const values = [
    ...props.points.flatMap((p) => fields.map((f) => p[f])),
    ...props.marks.flatMap((r) => fields.map((f) => r[f])),
    ...lines.map((l) => l.value),
  ].filter((v): v is number => v !== null);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  const pad = Math.max((hi - lo) * 0.12, Math.abs(hi) * 0.01, 0.5);
  lo -= pad;
  hi += pad;
  const x = (ms: number) => PAD.left + ((ms - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const yTicks = [0, 1, 2, 3].map((i) => lo + ((hi - lo) * (i + 0.5)) / 4);
  const xTicks = Array.from({ length: 8 }, (_, i) => x0 + ((x1 - x0) * i) / 7).slice(0, 7);
  const unit = props.unit ? unitName(lang, props.unit, props.type) : '';
  const name = typeName(lang, props.type);
  const show = (v: number) =>
    props.unit ? formatValue(lang, v, props.unit, { type: props.type, maxDecimals: 2 }) : String(v);
  const titleId = `chart-${props.type}-${Math.round(x0)}`;

  return (
    <figure class="explain-chart" data-testid={`explain-chart-${props.type}`}>
      <figcaption>{t('explainChartTitle', { type: name })}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={titleId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{t('explainChart', { type: unit ? `${name} (${unit})` : name })}</title>
        {yTicks.map((v) => (
          <g class="tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#e3e6e8" />
            <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {formatNumber(lang, v, { maxDecimals: 1 })}
            </text>
          </g>
        ))}
        {xTicks.map((ms) => (
          <text class="tick" x={x(ms)} y={H - 6} text-anchor="middle">
            {formatDay(lang, ms, props.timeZone)}
          </text>
        ))}
        {fields.map((f) => {
          const pts = props.points.filter((p) => p[f] !== null);
          return (
            <g class={`series series-${f}`}>
              <polyline
                fill="none"
                stroke={colours[f]}
                stroke-width="2"
                stroke-dasharray={f === 'diastolic' ? '6 3' : undefined}
                points={pts.map((p) => `${x(Date.parse(p.t))},${y(p[f]!)}`).join(' ')}
              />
              {pts.map((p) => (
                <circle cx={x(Date.parse(p.t))} cy={y(p[f]!)} r="3" fill={colours[f]} />
              ))}
            </g>
          );
        })}
        {lines.map((l, i) => {
          const s = lineStyles[i % lineStyles.length]!;
          const label = `${ruleName(lang, l.rule)}: ${show(l.value)}`;
          return (
            <g class="threshold" data-value={l.value}>
              <line
                x1={PAD.left}
                x2={W - PAD.right}
                y1={y(l.value)}
                y2={y(l.value)}
                stroke={s.stroke}
                stroke-width="1.5"
                stroke-dasharray={s.dash}
              />
              <text
                x={W - PAD.right - 2}
                y={y(l.value) - 4}
                text-anchor="end"
                style={{ fill: s.stroke }}
                class="threshold-label"
              >
                {label}
              </text>
            </g>
          );
        })}
        {props.marks.flatMap((r) =>
          fields.flatMap((f) => {
            const v = r[f];
            if (v === null) return [];
            return [
              <circle
                class="mark"
                cx={x(Date.parse(r.measuredAt))}
                cy={y(v)}
                r="7"
                fill="none"
                stroke={colours.mark}
                stroke-width="2.5"
              >
                <title>
                  {`${t('explainTriggering')}: ${show(v)}, ${formatDateTime(lang, r.measuredAt, props.timeZone)}`}
                </title>
              </circle>,
            ];
          }),
        )}
      </svg>
      <p class="legend muted">
        <span class="legend-mark" aria-hidden="true" /> {t('explainTriggering')}
      </p>
    </figure>
  );
}
