// The operating curves as an SVG chart: a Vega-Lite spec (per detector, every grid point as a
// dot and its frontier as a line: the points no other point beats on both sensitivity and false
// alerts; the 1 and 2 false-alert budgets as dashed rules) compiled to Vega and rendered
// headless (renderer 'none': no canvas, no DOM). The false-alert axis is symmetric-log: the
// budgets lie at 1-2 a patient-year, loose settings reach tens.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { BUDGETS, type CurvePoint, type SweepReport } from './sweep.js';
import { paramsText } from './sweepReport.js';

export const X_TITLE = 'False alerts per patient-year';
export const Y_TITLE = 'Sensitivity';

/** Whether each point (by false alerts ascending) is more sensitive than every one before it. */
export function onFrontier(curve: readonly CurvePoint[]): boolean[] {
  let best = -1;
  return curve.map((p) => {
    const s = p.sensitivity ?? -1;
    const beyond = s > best;
    if (beyond) best = s;
    return beyond;
  });
}

/** The Vega-Lite spec of the report's curves. */
export function sweepSpec(r: SweepReport): TopLevelSpec {
  const points = r.detectors.flatMap((d) => {
    const frontier = onFrontier(d.curve);
    return d.curve.flatMap((p, order) =>
      p.sensitivity === null
        ? []
        : [
            {
              detector: d.label,
              order,
              frontier: frontier[order],
              falseAlerts: p.falseAlertsPerPatientYear,
              sensitivity: p.sensitivity,
              params: paramsText(p.params),
            },
          ],
    );
  });
  const c = r.cohort;
  const x = {
    field: 'falseAlerts',
    type: 'quantitative',
    title: X_TITLE,
    scale: { type: 'symlog' },
    axis: {
      format: '~g',
      values: [0, 0.5, 1, 2, 5, 10, 20, 50, 100].filter(
        (v) => v <= Math.max(2, ...points.map((p) => p.falseAlerts)) * 2,
      ),
    },
  } as const;
  const y = {
    field: 'sensitivity',
    type: 'quantitative' as const,
    title: Y_TITLE,
    axis: { format: '.0%' },
    scale: { domain: [0, 1] },
  };
  const color = {
    field: 'detector',
    type: 'nominal',
    title: 'Detector',
    legend: { labelLimit: 400, orient: 'bottom', columns: 2 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Operating curves of the detectors',
      subtitle:
        `${c.source ?? `seed ${c.seed}`}, ${c.patients} patients x ${c.days} days, ` +
        `${c.decompensations} decompensations; lines at ${BUDGETS.join(' and ')} false alerts/pt-yr`,
    },
    width: 560,
    height: 360,
    background: 'white',
    layer: [
      {
        data: { values: BUDGETS.map((b) => ({ budget: b, label: `${b} false alert/pt-yr` })) },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
        encoding: { x: { field: 'budget', type: 'quantitative', scale: { type: 'symlog' } } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, opacity: 0.6 },
        encoding: { x, y, color, tooltip: { field: 'params', type: 'nominal' } },
      },
      {
        data: { values: points },
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line' },
        encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
      },
    ],
  };
}

/** The chart of the report's curves as an SVG document. */
export async function sweepSvg(r: SweepReport): Promise<string> {
  const view = new View(parse(compile(sweepSpec(r)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
