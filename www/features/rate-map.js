// The stability map of heavy-ball momentum (Distill's (α, β) figure, on the page's data), in a
// dialog: the rate of full-batch heavy-ball descent over (η, μ) from the Hessian's spectrum,
// divergence in hatched grey, Polyak's optimum and plain descent's best rate marked, and the
// rates of 16 × 16 real runs measured a few per frame and drawn as dots on the same scale.
// A click on the map chooses Momentum with that η and μ.

import { flash, h } from '../shell/dom.js';
import { t, onLanguageChange } from '../shell/i18n.js';
import { formatNumber } from '../shell/format.js';
import { canvasPoint, frameWork, sizeCanvas, tuningDialog } from './tuning-dialog.js';

/** Significant digits of a rate or a momentum set from the map. */
const DIGITS = 3;

const rounded = (v) => Number(v.toPrecision(DIGITS));

export function install(app) {
  const marks = h('p', { class: 'tuning-verdict', id: 'rate-map-marks' });
  const check = h('p', { class: 'tuning-verdict', id: 'rate-map-check', 'aria-live': 'polite' });
  const caveats = h('ul', { class: 'tuning-caveats', id: 'rate-map-caveats' });
  const status = h('p', { class: 'hint', id: 'rate-map-status' });
  const { dialog, open, canvas, progress } = tuningDialog({ id: 'rate-map', button: 'stability-map', prefix: 'rate-map', body: [marks, check, caveats, status] });

  let report = null;

  const draw = () => {
    sizeCanvas(canvas, 0.6);
    app.vis.draw_rate_map(canvas);
    report = app.vis.rate_map_result();
    if (!report) return;
    progress.value = report.measured;
    progress.max = report.total;
    describe();
  };

  const describe = () => {
    const r = report;
    const parts = [];
    if (r.optimum) {
      parts.push(t('rate-map.marks.optimum', {
        lr: formatNumber(r.optimum.lr, DIGITS), momentum: formatNumber(r.optimum.momentum, DIGITS), rate: formatNumber(r.optimum.rate, 4),
      }));
    }
    if (r.plain_best) parts.push(t('rate-map.marks.plain', { lr: formatNumber(r.plain_best.lr, DIGITS), rate: formatNumber(r.plain_best.rate, 4) }));
    if (!r.optimum) parts.push(t('rate-map.marks.none'));
    marks.textContent = parts.join(' ');
    const a = r.agreement;
    if (!r.done) {
      check.textContent = t('rate-map.check.running', { measured: r.measured, total: r.total });
    } else if (a.compared > 0) {
      check.textContent = t('rate-map.check.done', {
        total: r.total, compared: a.compared, median: formatNumber(a.median_gap, 2), max: formatNumber(a.max_gap, 2),
        diverged: a.diverged, predicted: a.predicted_divergent,
      });
    } else {
      check.textContent = t('rate-map.check.none');
    }
    const label = (name) => t(app.catalog.optimizers.find((o) => o.name === name)?.label ?? name);
    caveats.replaceChildren(...r.caveats.map((c) => h('li', {}, t(`rate-map.caveat.${c.kind}`, { optimizer: c.optimizer ? label(c.optimizer) : '' }))));
  };

  frameWork(dialog, open, {
    begin: () => {
      status.textContent = '';
      app.vis.rate_map_start();
    },
    work: (count) => app.vis.rate_map_measure(count),
    draw,
    fail: (error) => { status.textContent = String(error?.message ?? error); },
    end: () => app.vis.rate_map_clear(),
  });

  canvas.addEventListener('click', (event) => {
    const point = app.vis.rate_map_point_at(...canvasPoint(canvas, event));
    if (point.length !== 2) return;
    const [lr, momentum] = [rounded(point[0]), Math.min(0.999, Number(point[1].toFixed(3)))];
    const ok = app.controls.commit('optimizer', 'momentum') && app.controls.commit('momentum', String(momentum))
      && app.controls.commit('learningRate', String(lr));
    if (ok) {
      flash(status, t('rate-map.set', { lr: formatNumber(lr, DIGITS), momentum: formatNumber(momentum, DIGITS) }));
      draw();
    }
  });

  onLanguageChange(() => {
    if (dialog.open && report) draw();
  });

  return { dialog, open: () => open.click(), result: () => report };
}
